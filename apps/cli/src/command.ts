import { Command, type Option } from 'commander'

/** The shape of a random id (base64url of 16 bytes); one link id in 64 begins with '-'. */
const ID_SHAPE = /^-[A-Za-z0-9_-]{21}$/

/**
 * Commander's command, except that an id beginning with '-' is read as the argument it is
 * rather than as an unknown option: `sealpost link rm -r9ovvaIwQcw-jmD2FEY-g` works as
 * copied from `link ls`, with no `--` needed. A word of an id's shape is an id unless it is
 * the name of an option, or the value of one. Subcommands are made of this class too.
 */
export class SealpostCommand extends Command {
  override createCommand(name?: string): Command {
    return new SealpostCommand(name)
  }

  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    const hidden = new Map<string, string>()
    const masked = argv.map((word, index) => {
      if (!this.isDashedId(word, argv[index - 1])) return word
      const mask = `\u0000id${hidden.size}`
      hidden.set(mask, word)
      return mask
    })
    const parsed = super.parseOptions(masked)
    const unmask = (word: string) => hidden.get(word) ?? word
    return { operands: parsed.operands.map(unmask), unknown: parsed.unknown.map(unmask) }
  }

  private isDashedId(word: string, previous: string | undefined): boolean {
    if (!ID_SHAPE.test(word) || this.findOption(word)) return false
    const option = previous === undefined ? undefined : this.findOption(previous)
    return !option || !(option.required || option.optional)
  }

  /** The option named `word` anywhere in the program: a parent parses its children's too. */
  private findOption(word: string): Option | undefined {
    const root = (command: Command): Command => (command.parent ? root(command.parent) : command)
    const search = (command: Command): Option | undefined =>
      command.options.find((option) => option.long === word || option.short === word) ??
      command.commands.map(search).find((found) => found !== undefined)
    return search(root(this))
  }
}
