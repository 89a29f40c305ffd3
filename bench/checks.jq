# bench/checks.jq - jq doing ssolint's per-user checks (roles, admin-has-team,
# team-missing, team-unknown) on gzip NDJSON piped through zcat: one line per finding.
# No positions: jq has no line numbers for values.
def roles: (.app_metadata.flex.roles // []);
(.email // .user_id) as $who
| (.app_metadata.flex // null) as $f
| (if ($f == null or (roles | length) == 0) then "\($who): role-missing" else empty end),
  (roles[] | select(. != "admin" and . != "supervisor" and . != "agent")
   | "\($who): role-unknown '\(.)'"),
  (if (roles | index("admin")) != null and ($f | type) == "object" and ($f | has("team"))
   then "\($who): admin-has-team" else empty end),
  (if $f != null and (roles | length) > 0 and (roles | index("admin")) == null
      and (($f.team // "") == "") then "\($who): team-missing" else empty end),
  (if ($f.team // "") != "" and ([$f.team] | inside(["RAMP","AdultDayCare","HomeHealth","Intake","Outreach"]) | not)
   then "\($who): team-unknown '\($f.team)'" else empty end)
