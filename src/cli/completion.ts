import { Argument, type Command } from 'commander';

/** For each command path (`""`, `"envs"`, `"envs logs"`), what may follow: subcommands and options. */
function wordsByPath(program: Command): Map<string, string[]> {
  const globals = program.options.flatMap((option) => [option.long, option.short]).filter((flag): flag is string => Boolean(flag));
  const table = new Map<string, string[]>();
  const visit = (command: Command, path: string) => {
    const options = command === program ? [] : command.options.flatMap((option) => [option.long, option.short]);
    const subcommands = command.commands.map((sub) => sub.name());
    if (command === program) subcommands.push('help');
    table.set(path, [...subcommands, ...options.filter((flag): flag is string => Boolean(flag)), ...globals, '--help']);
    for (const sub of command.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
  return table;
}

/** A POSIX `case` answering the words that may follow a command path; bash and zsh both read it. */
function wordsFunction(program: Command): string {
  const cases = [...wordsByPath(program)].map(([path, words]) => `    "${path}") echo "${words.join(' ')}" ;;`);
  return ['_shareplane_words() {', '  case "$1" in', ...cases, '  esac', '}'].join('\n');
}

function bashScript(program: Command): string {
  return `# shareplane completion for bash: source <(shareplane completion bash)
${wordsFunction(program)}
_shareplane() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ $word == -* ]] && continue
    case " $(_shareplane_words "$cmdpath") " in *" $word "*) cmdpath="\${cmdpath:+$cmdpath }$word" ;; esac
  done
  COMPREPLY=($(compgen -W "$(_shareplane_words "$cmdpath")" -- "$cur"))
}
complete -F _shareplane shareplane
`;
}

function zshScript(program: Command): string {
  return `# shareplane completion for zsh: source <(shareplane completion zsh), after compinit
${wordsFunction(program)}
_shareplane() {
  local cmdpath="" word
  local -a candidates
  for word in "\${(@)words[2,CURRENT-1]}"; do
    [[ $word == -* ]] && continue
    candidates=(\${(s: :)"$(_shareplane_words "$cmdpath")"})
    (( \${candidates[(Ie)$word]} )) && cmdpath="\${cmdpath:+$cmdpath }$word"
  done
  candidates=(\${(s: :)"$(_shareplane_words "$cmdpath")"})
  compadd -- $candidates
}
compdef _shareplane shareplane
`;
}

/** `completion bash|zsh`: prints a completion script built from the commands themselves, so it never goes stale. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText('after', '\nInstall:\n  bash: echo \'source <(shareplane completion bash)\' >> ~/.bashrc\n  zsh:  echo \'source <(shareplane completion zsh)\' >> ~/.zshrc')
    .action((shell: 'bash' | 'zsh') => {
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}
