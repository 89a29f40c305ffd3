#!/usr/bin/env python3
"""gen-man.py - generate doc/ssolint.1 (roff) from the program and the rule pages.

    SSOLINT=build/src/ssolint python3 doc/gen-man.py [SRCDIR] > doc/ssolint.1

OPTIONS comes from `ssolint --help`; RULES from `ssolint --list-rules` (id, group,
severity, fix, run against SRCDIR's rule files) and from each rule's page
SRCDIR/doc/rules/<id>.md (its summary paragraph and "Pattern X only" note). The output is
deterministic (no date), so tests/integration/man-page.sh can check that the committed
page is up to date. Regenerate it after changing an option, a rule or a rule page.
"""
import os
import re
import subprocess
import sys


def die(msg):
    sys.stderr.write("gen-man.py: %s\n" % msg)
    sys.exit(1)


def esc(text):
    """Escape plain text for roff: backslashes, hyphens in words, leading dots."""
    text = text.replace("\\", "\\e")
    text = text.replace("-", "\\-")
    # ASCII only, so that every man/groff renders it whatever the locale
    # (a few characters by their ASCII form: not every output device has glyphs for them)
    for u, a in (("\u2026", "..."), ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'),
                 ("\u201d", '"'), ("\u2013", "\\(en"), ("\u2014", "\\(em"),
                 ("\u00a0", "\\ "), ("\u2192", "\\(->")):
        text = text.replace(u, a)
    return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)


def line(text):
    """A text line that cannot be taken for a request."""
    if text[:1] in (".", "'"):
        return "\\&" + text
    return text


def inline(md):
    """Markdown inline (`code`, **bold**) to roff fonts."""
    out = []
    pos = 0
    for m in re.finditer(r"`([^`]+)`|\*\*([^*]+)\*\*", md):
        out.append(esc(md[pos:m.start()]))
        out.append("\\fB" + esc(m.group(1) or m.group(2)) + "\\fR")
        pos = m.end()
    out.append(esc(md[pos:]))
    return "".join(out)


def run(ssolint, args, env):
    # SSOLINT_WRAPPER: e.g. valgrind, in the valgrind stage of CI
    cmd = env.get("SSOLINT_WRAPPER", "").split() + [ssolint] + args
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        die("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                    p.stderr.decode("utf-8", "replace").strip()))
    return p.stdout.decode("utf-8")


def option_term(spec):
    """'--format NAME' / '-q, --quiet' -> roff term with bold options, italic arguments."""
    parts = []
    for alt in spec.split(", "):
        words = alt.split(" ", 1)
        t = "\\fB" + esc(words[0]) + "\\fR"
        if len(words) > 1:
            t += " \\fI" + esc(words[1]) + "\\fR"
        parts.append(t)
    return ", ".join(parts)


def options_section(help_text):
    """The option lines of --help, by section ('Input:', 'Rules:', ...)."""
    out = []
    section = None
    cur = None
    for raw in help_text.splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:$", raw):
            section = raw[:-1]
            out.append(".SS " + section)
            cur = None
            continue
        if section is None:
            continue
        m = re.match(r"^  (-\S.*?)(?:  +(\S.*))?$", raw)
        if m:
            cur = [m.group(1), m.group(2) or ""]
            out.append(cur)
            continue
        m = re.match(r"^ {6,}(\S.*)$", raw)
        if m and cur is not None:
            cur[1] = (cur[1] + " " + m.group(1)).strip()
            continue
        if raw.strip() == "":
            cur = None
            continue
        section = None  # the trailing paragraphs of --help
    lines = []
    for item in out:
        if isinstance(item, str):
            lines.append(item)
        else:
            lines += [".TP", option_term(item[0]), line(esc(item[1]))]
    return lines


def page_summary(srcdir, rid):
    path = os.path.join(srcdir, "doc", "rules", rid + ".md")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().splitlines()
    except OSError:
        die("rule %s has no page %s" % (rid, path))
    note = ""
    para = []
    i = 0
    while i < len(text) and not text[i].startswith("**Group:**"):
        i += 1
    if i == len(text):
        die("%s: no '**Group:**' line" % path)
    m = re.search(r"\*\*(Pattern [AB] only)\*\*", text[i])
    if m:
        note = m.group(1)
    i += 1
    while i < len(text) and (text[i].strip() == "" or text[i].startswith("**Fix:**")):
        i += 1
    while i < len(text) and text[i].strip() != "" and not text[i].startswith("#"):
        para.append(text[i].strip())
        i += 1
    if not para:
        die("%s: no summary paragraph" % path)
    return " ".join(para), note


def rules_section(list_text, srcdir):
    lines = []
    group = None
    rows = []
    for raw in list_text.splitlines():
        m = re.match(r"^(\S+)\s+(\S+)\s+(error|warning|note|off)\s+(safe|unsafe|-)\s+(.*)$", raw)
        if not m:
            die("cannot parse --list-rules line: %r" % raw)
        rows.append(m.groups())
    if not rows:
        die("--list-rules printed no rule")
    for rid, grp, sev, fix, _summary in rows:
        if grp != group:
            group = grp
            lines.append(".SS " + esc(grp))
        text, note = page_summary(srcdir, rid)
        if fix != "-":
            note = (note + ", " if note else "") + fix + " fix"
        lines += [".TP", "\\fB%s\\fR (%s%s)" % (esc(rid), sev, ", " + note if note else ""),
                  line(inline(text))]
    return lines, len(rows)


HEAD = r""".SH NAME
ssolint \- lint Auth0 and Twilio Flex single sign\-on configuration repositories
.SH SYNOPSIS
.B ssolint
[\fIOPTION\fR]... [\fIPATH\fR]...
.SH DESCRIPTION
.B ssolint
reads the configuration that nonprofits keep in git for Twilio Flex single sign\-on through
Auth0: Auth0 deploy\-cli tenant exports, Auth0 user exports (JSON, NDJSON, gzip), the
post\-login Action's JavaScript, the Flex SSO settings and the TaskRouter workers.
It checks them against the policy of its rules and the project file
.IR .ssolint.yaml ,
and prints one diagnostic per finding.
It works offline: it never opens a network connection, never runs Action code and never
writes to its inputs.
.PP
A \fIPATH\fR (default \fB.\fR) chooses which findings are reported; the tenants that contain
it are always read whole.
The project file is the
.I .ssolint.yaml
in the directory of the first \fIPATH\fR or its nearest parent (\fB\-\-config\fR overrides);
without one, each directory is searched for the usual export layout
(\fBssolint \-\-list\-inputs\fR shows what was found).
.SH OUTPUT
The default format (\fB\-\-format=gcc\fR, used when standard output is not a terminal) is
one line per finding, sorted by file, line, column and rule id:
.PP
.RS
.EX
FILE:LINE:COL: SEVERITY: MESSAGE [RULE\-ID]
.EE
.RE
.PP
\fISEVERITY\fR is \fBerror\fR, \fBwarning\fR or \fBnote\fR.
Related locations follow their finding as \fIFILE\fB:\fILINE\fB:\fICOL\fB: note: \fR...
lines without a rule id.
Columns count Unicode code points unless \fB\-\-column\-unit\fR says otherwise (vim counts
bytes, VS Code UTF\-16 units).
On a terminal the \fBpretty\fR format adds the source line with a caret under the value.
A summary line goes to standard error unless \fB\-q\fR.
Secrets are never printed: they are masked in messages and in every output format.
"""

TAIL = r""".SH EXIT STATUS
.TP
.B 0
no finding at or above the fail level (\fB\-\-fail\-on\fR, default \fBerror\fR), and not
more warnings than \fB\-\-max\-warnings\fR;
.TP
.B 1
findings at or above the fail level;
.TP
.B 2
a usage error (bad option, bad \fI.ssolint.yaml\fR, bad rule file: nothing is linted), or an
I/O error (a \fIPATH\fR that does not exist, an unreadable file: everything else is still
linted and reported).
.PP
A file that can be read but not parsed is a \fBparse\-error\fR finding, not status 2.
.SH ENVIRONMENT
.TP
.B SSOLINT_DATADIR
the directory that holds \fIrules/\fR and \fIdoc/rules/\fR, instead of the installed data
directory (or the source tree, for a program run from its build tree).
.TP
.B NO_COLOR
when set and not empty, \fB\-\-color=auto\fR prints no colour
(\fB\-\-color=always\fR still does).
.SH FILES
.TP
.I .ssolint.yaml
the project file of a config repository: tenants, organizations, patterns, roles, teams,
email domains, rule severities and \fBignore\fR entries.
.TP
.I PKGDATADIR/rules/*.yaml
the rules (by default \fI/usr/local/share/ssolint/rules\fR); \fB\-\-rules\-dir\fR and the
project file's \fBrules_dir\fR add more.
.TP
.I PKGDATADIR/doc/rules/*.md
the rule pages printed by \fB\-\-explain\fR.
.SH RULES
Each rule has an id, a group and a default severity (\fB\-\-severity\fR and the project
file's \fBrules\fR map change it).
\fB\-\-select\fR and \fB\-\-ignore\-rule\fR take ids and group names.
\fBssolint \-\-explain\fR \fIID\fR prints a rule's page: the symptom, why it happens, how to
fix it, and examples.
"""

EXAMPLES = r""".SH EXAMPLES
Lint the config repository in the current directory:
.PP
.RS
.EX
ssolint
.EE
.RE
.PP
Only the role and team rules, failing on warnings too:
.PP
.RS
.EX
ssolint \-\-select roles,teams \-\-fail\-on=warning
.EE
.RE
.PP
In CI: annotations in the log and a SARIF file for code scanning:
.PP
.RS
.EX
ssolint \-\-format=github \-\-output=sarif:ssolint.sarif
.EE
.RE
.SH SEE ALSO
.BR pre\-commit (8),
.BR vim (1);
the project's \fIdoc/\fR directory: \fIeditors.md\fR (vim, Emacs, VS Code),
\fIgithub\-actions.md\fR, \fIconfig.md\fR, \fIrule\-format.md\fR.
"""


def main():
    srcdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    ssolint = os.environ.get("SSOLINT")
    if not ssolint:
        die("set SSOLINT to the built ssolint program")
    env = dict(os.environ)
    env["SSOLINT_DATADIR"] = srcdir
    env["LC_ALL"] = "C.UTF-8"
    help_text = run(ssolint, ["--help"], env)
    version = run(ssolint, ["--version"], env).splitlines()[0].strip()  # "ssolint X.Y.Z"
    list_text = run(ssolint, ["--list-rules"], env)
    rules, n = rules_section(list_text, srcdir)
    out = [
        '.\\" Generated by doc/gen-man.py from `ssolint --help`, `ssolint --list-rules`',
        '.\\" and doc/rules/*.md: do not edit; run it again instead.',
        '.TH SSOLINT 1 "" "%s" "User Commands"' % esc(version),
    ]
    out += HEAD.rstrip("\n").split("\n")
    out.append(".SH OPTIONS")
    out += options_section(help_text)
    out += TAIL.rstrip("\n").split("\n")
    out.append(".PP")
    out.append("The %d rules, by group:" % n)
    out += rules
    out += EXAMPLES.rstrip("\n").split("\n")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
