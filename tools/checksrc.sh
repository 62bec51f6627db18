#!/bin/sh
# checksrc: banned functions (curl's checksrc idea) and // comments.
rc=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atof|sscanf|strncpy)[[:space:]]*\('
files=$(find src tools tests/unit tests/fuzz -name '*.c' -o -name '*.h' 2>/dev/null)
if grep -nE "$banned" $files; then
	echo "checksrc: banned function used (see STYLE.md 3.5)"
	rc=1
fi
if grep -nE '(^[[:space:]]*|[;{})][[:space:]]*)//' $(find src -name '*.c' -o -name '*.h'); then
	echo "checksrc: use /* */ comments only (STYLE.md 3.9)"
	rc=1
fi
exit $rc
