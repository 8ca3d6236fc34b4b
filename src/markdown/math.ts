// Math with GitHub's rules (https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/writing-mathematical-expressions):
// block math (`$$` fences) is micromark-extension-math's own construct; inline math is the construct below, because
// micromark-extension-math's text math (the one remark-math uses) treats any `$…$` pair as math, so prices
// ("$5 or $10") and shell variables ("$HOME … $PATH") became equations. Its only option, singleDollarTextMath,
// turns `$x$` off altogether, which GitHub accepts. Inline math here:
// - opens with `$` (or `$$`) followed by a non-space;
// - closes with the same number of `$`, preceded by a non-space and not followed by a digit (GitHub), nor by an
//   ASCII letter (ours: "$99: $x$" is a price and an equation, and "$a$b" is not math; CJK text right after
//   math, "$x$是", is fine);
// - never closes on `\$` (a literal dollar);
// - holds no bare `$` (one stricter than GitHub): a `$` that cannot close (after a space, before a digit, a run of
//   the wrong length) ends the attempt, so "$9.99, or $99 a year: $x$" is two prices and one equation, where
//   GitHub's rules would make "9.99, or $99 a year: " an equation;
// - never contains a code span (code spans take precedence): a backtick inside ends the attempt;
// - also has GitHub's `` $`…`$ `` form, whose content may hold `$` and backticks.
// The tokens are micromark-extension-math's (mathText, mathTextSequence, mathTextData), so mdast-util-math builds
// the same `inlineMath` nodes.
import { mathFromMarkdown } from 'mdast-util-math'
import { math } from 'micromark-extension-math'
import { asciiAlphanumeric, markdownLineEnding, markdownLineEndingOrSpace, markdownSpace } from 'micromark-util-character'
import type { Code, Construct, Effects, Extension, State, Token, TokenizeContext } from 'micromark-util-types'
import type { Processor } from 'unified'

const DOLLAR = 36
const BACKTICK = 96
const BACKSLASH = 92

const githubMathText: Construct = { name: 'mathText', tokenize: tokenizeMathText, previous: notAfterDollar }

/** Block math from micromark-extension-math, inline math with GitHub's rules. */
export function githubMathSyntax(): Extension {
  return { flow: math().flow!, text: { [DOLLAR]: githubMathText } }
}

/** A unified plugin: `unified().use(remarkParse).use(githubMath)` instead of remark-math. */
export function githubMath(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(githubMathSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(mathFromMarkdown())
}

/** A `$` right after another `$` does not start math (the run is one sequence), unless that one was escaped. */
function notAfterDollar(this: TokenizeContext, code: Code): boolean {
  return code !== DOLLAR || this.events.at(-1)?.[1].type === 'characterEscape'
}

function tokenizeMathText(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let sizeOpen = 0
  let ticksOpen = 0
  let size = 0
  /** The last character of the content so far (a space after a line ending). */
  let previous: Code = null
  let sequence: Token

  return start

  function start(code: Code): State | undefined {
    effects.enter('mathText')
    effects.enter('mathTextSequence')
    return open(code)
  }

  function open(code: Code): State | undefined {
    if (code === DOLLAR && sizeOpen < 2) {
      effects.consume(code)
      sizeOpen++
      return open
    }
    if (code === DOLLAR) return nok(code)
    if (code === BACKTICK && sizeOpen === 1) return ticks(code)
    effects.exit('mathTextSequence')
    if (code === null || markdownLineEndingOrSpace(code)) return nok(code)
    effects.enter('mathTextData')
    return data(code)
  }

  // --- `$…$`

  function data(code: Code): State | undefined {
    if (code === null || code === BACKTICK) return nok(code)
    if (markdownLineEnding(code)) {
      effects.exit('mathTextData')
      return lineEnding(code, afterLineEnding)
    }
    if (code === DOLLAR) {
      // A bare dollar that cannot close ends the attempt (see closeOrFail).
      if (previous === null || markdownSpace(previous)) return nok(code)
      effects.exit('mathTextData')
      effects.enter('mathTextSequence')
      size = 0
      return close(code)
    }
    effects.consume(code)
    previous = code
    return code === BACKSLASH ? escaped : data
  }

  function afterLineEnding(code: Code): State | undefined {
    if (code === null) return nok(code)
    previous = 32
    effects.enter('mathTextData')
    return data(code)
  }

  /** `\$` is a dollar, and `\\` a backslash that cannot escape what follows. */
  function escaped(code: Code): State | undefined {
    if (code !== DOLLAR && code !== BACKSLASH) return data(code)
    effects.consume(code)
    previous = 0
    return data
  }

  function close(code: Code): State | undefined {
    if (code === DOLLAR) {
      effects.consume(code)
      size++
      return close
    }
    if (size === sizeOpen && !asciiAlphanumeric(code)) {
      effects.exit('mathTextSequence')
      effects.exit('mathText')
      return ok(code)
    }
    return nok(code)
  }

  // --- $`…`$

  function ticks(code: Code): State | undefined {
    if (code === BACKTICK) {
      effects.consume(code)
      ticksOpen++
      return ticks
    }
    effects.exit('mathTextSequence')
    return tickContent(code)
  }

  function tickContent(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === BACKTICK) return tickSequence(code)
    effects.enter('mathTextData')
    return tickData(code)
  }

  function tickData(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      effects.exit('mathTextData')
      return lineEnding(code, tickContent)
    }
    if (code === BACKTICK) {
      effects.exit('mathTextData')
      return tickSequence(code)
    }
    effects.consume(code)
    return tickData
  }

  function tickSequence(code: Code): State | undefined {
    sequence = effects.enter('mathTextSequence')
    size = 0
    return tickClose(code)
  }

  function tickClose(code: Code): State | undefined {
    if (code === BACKTICK) {
      effects.consume(code)
      size++
      return tickClose
    }
    if (size !== ticksOpen) {
      sequence.type = 'mathTextData'
      return tickData(code)
    }
    // The backticks end a code span: without the `$` right after them this is not the $`…`$ form.
    if (code !== DOLLAR) return nok(code)
    effects.consume(code)
    effects.exit('mathTextSequence')
    effects.exit('mathText')
    return ok
  }

  function lineEnding(code: Code, next: State): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return next
  }
}
