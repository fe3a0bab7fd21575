import { Command, type Option } from 'commander'

/**
 * A word of exactly a random id's shape that begins with '-' (base64url of 16 bytes: one
 * link id in 64 starts so). Sealpost has no short options, so such a word is an id.
 */
const DASHED_ID = /^-[A-Za-z0-9_-]{21}$/

/**
 * Commander's command, except that an id beginning with '-' is read as the argument it is
 * rather than as an unknown option: `sealpost link rm -r9ovvaIwQcw-jmD2FEY-g` works as
 * copied from `link ls`, with no `--` needed. Subcommands are made of this class too.
 */
export class SealpostCommand extends Command {
  override createCommand(name?: string): Command {
    return new SealpostCommand(name)
  }

  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    const hidden = new Map<string, string>()
    const masked = argv.map((word, index) => {
      if (!DASHED_ID.test(word) || this.takesValue(argv[index - 1])) return word
      const mask = `\u0000id${hidden.size}`
      hidden.set(mask, word)
      return mask
    })
    const parsed = super.parseOptions(masked)
    const unmask = (word: string) => hidden.get(word) ?? word
    return { operands: parsed.operands.map(unmask), unknown: parsed.unknown.map(unmask) }
  }

  /** Whether `word` names an option of this command or its parents that takes a value. */
  private takesValue(word: string | undefined): boolean {
    if (word === undefined || !word.startsWith('--') || word.includes('=')) return false
    const option = this.optionNamed(word)
    return option !== undefined && (option.required || option.optional)
  }

  private optionNamed(long: string): Option | undefined {
    return (
      this.options.find((candidate) => candidate.long === long) ??
      (this.parent instanceof SealpostCommand ? this.parent.optionNamed(long) : undefined)
    )
  }
}
