# SPDX-License-Identifier: GPL-2.0
# bash completion for hairpinctl(8): options, commands, map subcommands,
# protocols, the words of the map grammar, and the settings and limits
# with their values. Needs nothing from the bash-completion package.

_hairpinctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= words=() i cmd=0 w

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if [ "$prev" = -f ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		[ -z "$cur" ] || [ "$cur" = - ] && COMPREPLY+=(-)
		compopt -o filenames 2>/dev/null
		return
	fi

	# The options come before the command, as with ip(8).
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-f) return ;;	# -f FILE takes nothing more
		-*) ;;
		*) cmd=$i; break ;;
		esac
	done
	if [ "$cmd" = 0 ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-j -p -s -f -V -h --json --pretty --stats --version --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "map set show save monitor version help" -- "$cur"))
		fi
		return
	fi

	# The words after the command, up to the one being completed.
	words=("${COMP_WORDS[@]:cmd + 1:COMP_CWORD - cmd - 1}")
	case ${COMP_WORDS[cmd]} in
	map)
		if [ ${#words[@]} = 0 ]; then
			COMPREPLY=($(compgen -W "add del replace show flush help" -- "$cur"))
			return
		fi
		case ${words[0]} in
		add | replace)
			case ${#words[@]} in
			1) COMPREPLY=($(compgen -W "tcp udp" -- "$cur")) ;;
			3) COMPREPLY=($(compgen -W "to" -- "$cur")) ;;
			5) COMPREPLY=($(compgen -W "comment" -- "$cur")) ;;
			esac
			;;
		del)
			[ ${#words[@]} = 1 ] && COMPREPLY=($(compgen -W "tcp udp" -- "$cur"))
			;;
		show)
			COMPREPLY=($(compgen -W "-j -p" -- "$cur"))
			;;
		esac
		;;
	set)
		case $prev in
		source) COMPREPLY=($(compgen -W "lan external" -- "$cur")) ;;
		hairpin) COMPREPLY=($(compgen -W "auto always off" -- "$cur")) ;;
		mappings | ports) ;;	# a number
		*)
			# Each setting once; after "limit", its two limits
			# until another setting starts.
			w=" ${words[*]} "
			local left= in_limit=
			for i in "${words[@]}"; do
				case $i in
				limit) in_limit=1 ;;
				source | hairpin) in_limit= ;;
				esac
			done
			if [ -n "$in_limit" ]; then
				[[ $w == *" mappings "* ]] || left+=" mappings"
				[[ $w == *" ports "* ]] || left+=" ports"
			fi
			if [ "$prev" != limit ]; then
				[[ $w == *" source "* ]] || left+=" source"
				[[ $w == *" hairpin "* ]] || left+=" hairpin"
				[[ $w == *" limit "* ]] || left+=" limit"
			fi
			COMPREPLY=($(compgen -W "$left" -- "$cur"))
			;;
		esac
		;;
	show)
		COMPREPLY=($(compgen -W "-s -j -p" -- "$cur"))
		;;
	monitor)
		COMPREPLY=($(compgen -W "-j -p" -- "$cur"))
		;;
	esac
}

complete -F _hairpinctl hairpinctl
