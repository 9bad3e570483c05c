# SPDX-License-Identifier: GPL-2.0
# bash completion for hairpinctl(8): options, the network namespaces of
# /run/netns after -n, commands, their subcommands, protocols, the words
# of the map and masq grammar with the interfaces and filters, the
# settings, the UDP timeout and the limits with their values, and files
# after -f and upnp follow. Needs nothing from the bash-completion
# package.

# _hairpinctl_reply COMPGEN-ARGS...: what compgen gives for the word being
# completed ($cur of _hairpinctl).
_hairpinctl_reply() {
	mapfile -t COMPREPLY < <(compgen "$@" -- "$cur")
}

_hairpinctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' words=() i cmd=0 w

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if [ "$prev" = -f ]; then
		_hairpinctl_reply -f
		[ -z "$cur" ] || [ "$cur" = - ] && COMPREPLY+=(-)
		compopt -o filenames 2>/dev/null
		return
	fi
	if [ "$prev" = -n ]; then
		local netns=(/run/netns/*)
		[ -e "${netns[0]}" ] && _hairpinctl_reply -W "${netns[*]##*/}"
		return
	fi

	# The options come before the command, as with ip(8).
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-f) return ;;	# -f FILE takes nothing more
		-n) ((i++)) ;;	# its NETNS
		-*) ;;
		*) cmd=$i; break ;;
		esac
	done
	if [ "$cmd" = 0 ]; then
		if [[ $cur == -* ]]; then
			_hairpinctl_reply -W "-j -p -s -n -f -V -h --json --pretty --stats --version --help"
		else
			_hairpinctl_reply -W "map masq binding upnp set show save monitor version help"
		fi
		return
	fi

	# The words after the command, up to the one being completed.
	words=("${COMP_WORDS[@]:cmd + 1:COMP_CWORD - cmd - 1}")
	case ${COMP_WORDS[cmd]} in
	map)
		if [ ${#words[@]} = 0 ]; then
			_hairpinctl_reply -W "add del replace show flush help"
			return
		fi
		case ${words[0]} in
		add | replace)
			case ${#words[@]} in
			1) _hairpinctl_reply -W "tcp udp" ;;
			3) _hairpinctl_reply -W "to" ;;
			5) _hairpinctl_reply -W "comment mirror" ;;
			7) [ "${words[5]}" = comment ] && _hairpinctl_reply -W "mirror" ;;
			esac
			;;
		del)
			[ ${#words[@]} = 1 ] && _hairpinctl_reply -W "tcp udp"
			;;
		show)
			_hairpinctl_reply -W "-j -p"
			;;
		esac
		;;
	masq)
		if [ ${#words[@]} = 0 ]; then
			_hairpinctl_reply -W "add del show help"
			return
		fi
		case ${words[0]} in
		add | del)
			case ${#words[@]} in
			1) _hairpinctl_reply -W "dev" ;;
			2)
				# Interfaces that exist now; a rule may name one
				# that does not yet.
				local ifs=(/sys/class/net/*)
				[ -e "${ifs[0]}" ] && _hairpinctl_reply -W "${ifs[*]##*/}"
				;;
			3) [ "${words[0]}" = add ] && _hairpinctl_reply -W "to filter" ;;
			4) [ "${words[0]}" = add ] && [ "${words[3]}" = filter ] &&
				_hairpinctl_reply -W "independent address address-port" ;;
			5) [ "${words[0]}" = add ] && [ "${words[3]}" = to ] &&
				_hairpinctl_reply -W "filter" ;;
			6) [ "${words[0]}" = add ] && [ "${words[5]}" = filter ] &&
				_hairpinctl_reply -W "independent address address-port" ;;
			esac
			;;
		show)
			_hairpinctl_reply -W "-j -p"
			;;
		esac
		;;
	binding)
		if [ ${#words[@]} = 0 ]; then
			_hairpinctl_reply -W "show help"
		elif [ "${words[0]}" = show ]; then
			_hairpinctl_reply -W "-j -p"
		fi
		;;
	upnp)
		if [ ${#words[@]} = 0 ]; then
			_hairpinctl_reply -W "follow help"
		elif [ ${#words[@]} = 1 ] && [ "${words[0]}" = follow ]; then
			_hairpinctl_reply -f	# miniupnpd's lease file
			compopt -o filenames 2>/dev/null
		fi
		;;
	set)
		case $prev in
		source) _hairpinctl_reply -W "lan external" ;;
		hairpin) _hairpinctl_reply -W "auto always off" ;;
		scope) _hairpinctl_reply -W "own all" ;;
		mappings | ports | bindings | udp-timeout) ;;	# a number
		*)
			# Each setting once; after "limit", its limits until
			# another setting starts.
			w=" ${words[*]} "
			local left='' in_limit=''
			for i in "${words[@]}"; do
				case $i in
				limit) in_limit=1 ;;
				source | hairpin | scope | udp-timeout) in_limit= ;;
				esac
			done
			if [ -n "$in_limit" ]; then
				[[ $w == *" mappings "* ]] || left+=" mappings"
				[[ $w == *" ports "* ]] || left+=" ports"
				[[ $w == *" bindings "* ]] || left+=" bindings"
			fi
			if [ "$prev" != limit ]; then
				[[ $w == *" source "* ]] || left+=" source"
				[[ $w == *" hairpin "* ]] || left+=" hairpin"
				[[ $w == *" scope "* ]] || left+=" scope"
				[[ $w == *" udp-timeout "* ]] || left+=" udp-timeout"
				[[ $w == *" limit "* ]] || left+=" limit"
			fi
			_hairpinctl_reply -W "$left"
			;;
		esac
		;;
	show)
		_hairpinctl_reply -W "-s -j -p"
		;;
	monitor)
		_hairpinctl_reply -W "-j -p"
		;;
	esac
}

complete -F _hairpinctl hairpinctl
