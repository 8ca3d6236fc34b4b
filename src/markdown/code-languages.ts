// Fenced-code info strings → Feishu `code.style.language`.
// The enum (1 PlainText … 75 TOML) is the official one from the block data structure page
// (https://open.feishu.cn/document/server-docs/docs/docs/docx-v1/document-block/block-data-structure), as repeated
// in the request schema's description (schemas/feishu/docx.v1.documentBlockDescendant.create.json).
// Values marked deprecated there (21 FoxPro, 35 Logo, 42 OpenEdgeABL, 45 PostScript, 51 RPG, 59 Scratch) are not
// written: such code falls back to PlainText like any other language Feishu does not highlight.

export const PLAIN_TEXT = 1

const LANGUAGES: readonly [id: number, names: string][] = [
  [1, 'plaintext text txt plain none nohighlight output log ansi'],
  [2, 'abap'],
  [3, 'ada'],
  [4, 'apache apacheconf htaccess'],
  [5, 'apex'],
  [6, 'assembly asm nasm masm x86asm armasm gas'],
  [7, 'bash'],
  [8, 'csharp c# cs'],
  [9, 'c++ cpp cxx cc hpp hxx'],
  [10, 'c h'],
  [11, 'cobol'],
  [12, 'css less'],
  [13, 'coffeescript coffee'],
  [14, 'd'],
  [15, 'dart'],
  [16, 'delphi pascal pas objectpascal'],
  [17, 'django jinja jinja2'],
  [18, 'dockerfile docker containerfile'],
  [19, 'erlang erl'],
  [20, 'fortran f90 f95'],
  [22, 'go golang'],
  [23, 'groovy gradle'],
  [24, 'html htm xhtml vue svelte astro'],
  [25, 'htmlbars handlebars hbs'],
  [26, 'http'],
  [27, 'haskell hs'],
  [28, 'json jsonc json5 jsonl json-with-comments'],
  [29, 'java'],
  [30, 'javascript js jsx mjs cjs node'],
  [31, 'julia jl'],
  [32, 'kotlin kt kts'],
  [33, 'latex tex'],
  [34, 'lisp elisp emacs-lisp common-lisp clojure clj'],
  [36, 'lua'],
  [37, 'matlab octave'],
  [38, 'makefile make mk mak'],
  [39, 'markdown md mdx mdc'],
  [40, 'nginx nginxconf'],
  [41, 'objective-c objectivec objc obj-c'],
  [43, 'php'],
  [44, 'perl pl pm'],
  [46, 'powershell ps1 pwsh psm1'],
  [47, 'prolog'],
  [48, 'protobuf proto'],
  [49, 'python py python3 py3 ipython pycon gyp'],
  [50, 'r'],
  [52, 'ruby rb jruby rake gemspec erb'],
  [53, 'rust rs'],
  [54, 'sas'],
  [55, 'scss sass'],
  [56, 'sql mysql postgresql postgres psql plsql sqlite tsql'],
  [57, 'scala'],
  [58, 'scheme scm racket'],
  [60, 'shell sh zsh ksh fish console shell-session shellsession terminal sh-session'],
  [61, 'swift'],
  [62, 'thrift'],
  [63, 'typescript ts tsx mts cts'],
  [64, 'vbscript vbs'],
  [65, 'vb vbnet visual-basic visualbasic vba'],
  [66, 'xml svg xsl xslt plist rss xaml'],
  [67, 'yaml yml'],
  [68, 'cmake'],
  [69, 'diff patch udiff'],
  [70, 'gherkin feature cucumber'],
  [71, 'graphql gql'],
  [72, 'glsl'],
  [73, 'properties ini cfg dotenv env conf editorconfig'],
  [74, 'solidity sol'],
  [75, 'toml'],
]

const BY_NAME: ReadonlyMap<string, number> = new Map(
  LANGUAGES.flatMap(([id, names]) => names.split(' ').map((name) => [name, id] as const)),
)

/**
 * The Feishu language for an info string (`ts`, `Python`, `{.rb}`, and the site generators' forms with
 * attributes: mdBook `rust,ignore`, VitePress `js{1,3}` and `ts twoslash`, Docusaurus `jsx title="x.jsx"`): the
 * language is the first token, before a `,`, `{`, `[`, `:` or space. `known` is false when Feishu has no matching
 * language: the code is then written as PlainText and the caller warns.
 */
export function codeLanguage(lang: string | null | undefined): { id: number; known: boolean } {
  const name = infoLanguage(lang)
  if (name === '') return { id: PLAIN_TEXT, known: true }
  const id = BY_NAME.get(name)
  return id === undefined ? { id: PLAIN_TEXT, known: false } : { id, known: true }
}

/** The language token of an info string, lower case ("" when there is none). Pandoc's `{.rb}` gives "rb". */
export function infoLanguage(info: string | null | undefined): string {
  const trimmed = (info ?? '').trim().toLowerCase().replace(/^\{?\.?/, '')
  return /^[^\s,{}[\]:]*/.exec(trimmed)![0]
}
