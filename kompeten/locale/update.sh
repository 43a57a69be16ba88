#!/usr/bin/env bash
# Refresh the English catalog and compile it.
#
# The msgids are Indonesian (the UI's own language); English lives in
# kompeten/locale/en/LC_MESSAGES/django.po. Both django.po and django.mo are
# committed, so no machine needs gettext at run time; this script does
# (makemessages/compilemessages call xgettext, msgmerge and msgfmt).
#
# Usage: kompeten/locale/update.sh [--check]
#   --check  exit 1 if any entry is untranslated or fuzzy (e.g. for CI)
# After it runs, translate the empty msgstr entries (and review and un-flag the
# "fuzzy" ones, which Django ignores), then run it again to recompile.
# kompeten/locale/id rewords a few of Django's own texts (kata sandi); it is edited by
# hand and only compiled here.
set -euo pipefail

cd "$(dirname "$0")/../.."  # the repository root, where manage.py is
PY=${PY:-.venv/bin/python}
# The project catalog, and the apps' own catalogs (the later stages keep theirs in
# kompeten/<app>/locale, so makemessages writes their texts there).
POS=(kompeten/locale/en/LC_MESSAGES/django.po kompeten/*/locale/en/LC_MESSAGES/django.po)

"$PY" manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench \
    -e html,txt,py
"$PY" manage.py compilemessages --ignore=.venv

# msgattrib always prints the header entry (msgid ""); it is not counted.
count() {
    local n
    n=$(msgattrib "$@" --no-obsolete "$PO" | grep -c '^msgid ' || true)
    echo $((n > 0 ? n - 1 : 0))
}
missing=0
for PO in "${POS[@]}"; do
    [[ -f "$PO" ]] || continue
    msgfmt --check-format -o /dev/null "$PO"
    untranslated=$(count --untranslated)
    fuzzy=$(count --only-fuzzy)
    echo "$PO: $untranslated untranslated, $fuzzy fuzzy"
    if ((untranslated > 0)); then
        echo "Untranslated:"
        msgattrib --untranslated --no-obsolete --no-wrap "$PO" | grep '^msgid ' | tail -n +2 | sed 's/^/  /'
    fi
    if ((fuzzy > 0)); then
        echo "Fuzzy (not used until reviewed and the flag removed):"
        msgattrib --only-fuzzy --no-obsolete --no-wrap "$PO" | grep '^msgid ' | tail -n +2 | sed 's/^/  /'
    fi
    missing=$((missing + untranslated + fuzzy))
done
if [[ "${1:-}" == "--check" ]] && ((missing > 0)); then
    exit 1
fi
