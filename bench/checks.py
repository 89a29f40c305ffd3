#!/usr/bin/env python3
"""bench/checks.py FILE.ndjson.gz - the script a user would write instead of ssolint: gzip
and json line by line, the same per-user checks as bench/checks.jq (role-missing,
role-unknown, admin-has-team, team-missing, team-unknown), one line per finding with the
line number. A peer for bench/run, not a part of ssolint."""
import gzip
import json
import sys

ROLES = {"admin", "supervisor", "agent"}
TEAMS = {"RAMP", "AdultDayCare", "HomeHealth", "Intake", "Outreach"}


def check(n, u, out):
    who = u.get("email") or u.get("user_id")
    flex = (u.get("app_metadata") or {}).get("flex")
    roles = (flex or {}).get("roles") or [] if isinstance(flex, dict) else []
    if flex is None or not roles:
        out.append("%d: %s: role-missing" % (n, who))
    for r in roles:
        if r not in ROLES:
            out.append("%d: %s: role-unknown '%s'" % (n, who, r))
    team = flex.get("team") if isinstance(flex, dict) else None
    if "admin" in roles and isinstance(flex, dict) and "team" in flex:
        out.append("%d: %s: admin-has-team" % (n, who))
    if flex is not None and roles and "admin" not in roles and not team:
        out.append("%d: %s: team-missing" % (n, who))
    if team and team not in TEAMS:
        out.append("%d: %s: team-unknown '%s'" % (n, who, team))


def main():
    out = []
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                check(n, json.loads(line), out)
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
