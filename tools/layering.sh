#!/usr/bin/env bash
# layering: checks the tree's include arrows. Every source folder has a
# README.md whose "May include:" line lists the folders its files may
# include; on top of that, protocol/ includes nothing of the project, stats/
# never includes core/, and the folders' include graph has no cycle. It also
# checks that docs/design.md's module map names every module and no other.
# Usage: tools/layering.sh [ROOT]   (exit 0 clean, 1 a violation, each on one line)
set -u
root=${1:-.}
cd "$root" || exit 2
folders="protocol scenarios stats stats/report core/engine core/users core/probe core/cmd tools/target"
fail=0
bad() {
	echo "layering: $*"
	fail=1
}

for f in $folders; do
	if [ ! -f "$f/README.md" ]; then
		bad "$f has no README.md (what lives here, what it may include)"
	elif ! grep -q '^May include:' "$f/README.md"; then
		bad "$f/README.md has no 'May include:' line"
	fi
done

allowed_of() { # the README's "May include:" list, space-separated
	local line
	line=$(grep -m1 '^May include:' "$1/README.md" 2>/dev/null) || return
	line=${line#May include:}
	line=${line//,/ }
	line=${line//\`/}
	line=${line%.}
	[ "$line" = " nothing of the project" ] && line=""
	echo "$line"
}

edges=$(mktemp)
viol=$(mktemp)
trap 'rm -f "$edges" "$viol"' EXIT
for f in $folders; do
	allowed=$(allowed_of "$f")
	for src in "$f"/*.c "$f"/*.h; do
		[ -e "$src" ] || continue
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src" | while IFS= read -r hit; do
			n=${hit%%:*}
			inc=${hit#*\"}
			inc=${inc%%\"*}
			dir=$(dirname "$inc")
			[ "$dir" = "$f" ] && continue
			case " $folders tests " in *" $dir "*) ;; *) continue ;; esac
			echo "$f $dir" >>"$edges"
			ok=0
			for a in $allowed; do [ "$a" = "$dir" ] && ok=1; done
			case "$f:$dir" in
			protocol:*) ok=0 ;;
			stats:core/* | stats/*:core/*) ok=0 ;;
			esac
			[ $ok = 1 ] || echo "layering: $src:$n includes $inc: $f may not include $dir"
		done
	done
done >"$viol"
if [ -s "$viol" ]; then
	cat "$viol"
	fail=1
fi

# cycles between folders: repeatedly drop folders that include no remaining one
sort -u "$edges" -o "$edges"
left=" $folders "
while :; do
	changed=0
	for f in $left; do
		deps=$(awk -v f="$f" '$1 == f {print $2}' "$edges")
		keep=0
		for d in $deps; do case "$left" in *" $d "*) keep=1 ;; esac; done
		if [ $keep = 0 ]; then
			left=${left/ $f / }
			changed=1
		fi
	done
	[ $changed = 1 ] || break
done
[ -z "${left// /}" ] || bad "a cycle between the folders:${left% }"

# docs/design.md's module map: one row per module (folder/stem), no others
if [ -f docs/design.md ]; then
	mapped=$(grep -o '^| `[a-z0-9/_]*`' docs/design.md | tr -d '|` ' | sort -u)
	actual=$(for f in $folders; do for s in "$f"/*.c "$f"/*.h; do [ -e "$s" ] && echo "${s%.*}"; done; done | sort -u)
	for m in $(comm -13 <(echo "$mapped") <(echo "$actual")); do bad "docs/design.md's module map lacks $m"; done
	for m in $(comm -23 <(echo "$mapped") <(echo "$actual")); do bad "docs/design.md's module map names $m, which is not in the tree"; done
fi
[ $fail = 0 ] && echo "  layering clean: $(echo $folders | wc -w) folders, $(sort -u "$edges" | wc -l) arrows, no cycle"
exit $fail
