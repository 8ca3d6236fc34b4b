// Deterministic text rendering of a stored document, for test assertions. Markdown-like, one block per line:
//
//   heading1..9      "# text" … "######### text"
//   text             "text"               (an empty text block renders as an empty line)
//   bullet           "- text"
//   ordered          "1. text"            numbered among consecutive ordered siblings; a numeric style.sequence
//                                         sets the number, "auto" (or none) continues from the previous one
//   todo             "[x] text" / "[ ] text"
//   code             "```lang" + content lines + "```"   (lang from style.language, lower case; none for 1 PlainText)
//   quote            "> text"
//   quote_container  its children, each line prefixed "> "
//   callout          "> [!callout]" then its children, each line prefixed "> "
//   divider          "---"
//   image            "[image TOKEN]", or "[image empty]" before replace_image
//   table            "| a | b |" per row, "| --- | --- |" after the first row; a cell's blocks are rendered
//                    and joined with "<br>", "|" in cells escaped as "\|"
//   table_cell, grid, grid_column, view, page   transparent: their children render in place
//   file             "[file NAME]"
//   board            "[board TOKEN]" (the whiteboard's content: FeishuEmulator.renderBoard)
//   anything else    "[KEY]" (e.g. "[iframe]", "[diagram]", "[undefined]") followed by its children
//
// Children of text-like blocks (text, headings, bullet, ordered, todo) are indented two spaces per level.
// Inline: text_run content with `code`, **bold**, *italic*, ~~strike~~, <u>underline</u> (applied in that
// order, innermost first), then a link as [text](url) with the stored percent-encoded url decoded;
// mention_user "@USER_ID"; mention_doc "[title](url)" (or "@doc(TOKEN)" without url); equation "$…$";
// reminder "@reminder(EXPIRE_MS)"; inline file "[file TOKEN]"; inline_block "[inline BLOCK_ID]".
// A soft line break ("\n" inside content) continues on the next line at the same indentation.
// The page title is not rendered (getDocument().title has it). Lines are joined with "\n", no trailing newline.

export interface RenderNode {
  type: number
  key: string
  payload: Readonly<Record<string, unknown>>
  children: readonly string[]
}

const LANGUAGES = ['', 'plaintext', 'abap', 'ada', 'apache', 'apex', 'assembly', 'bash', 'csharp', 'cpp', 'c', 'cobol', 'css',
  'coffeescript', 'd', 'dart', 'delphi', 'django', 'dockerfile', 'erlang', 'fortran', 'foxpro', 'go', 'groovy', 'html',
  'htmlbars', 'http', 'haskell', 'json', 'java', 'javascript', 'julia', 'kotlin', 'latex', 'lisp', 'logo', 'lua', 'matlab',
  'makefile', 'markdown', 'nginx', 'objectivec', 'openedgeabl', 'php', 'perl', 'postscript', 'powershell', 'prolog',
  'protobuf', 'python', 'r', 'rpg', 'ruby', 'rust', 'sas', 'scss', 'sql', 'scala', 'scheme', 'scratch', 'shell', 'swift',
  'thrift', 'typescript', 'vbscript', 'visualbasic', 'xml', 'yaml', 'cmake', 'diff', 'gherkin', 'graphql', 'glsl',
  'properties', 'solidity', 'toml']

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

function decode(url: unknown): string {
  if (typeof url !== 'string') return ''
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

export function renderInline(elements: unknown): string {
  if (!Array.isArray(elements)) return ''
  let out = ''
  for (const raw of elements) {
    const el = obj(raw)
    if ('text_run' in el) {
      const run = obj(el.text_run)
      const st = obj(run.text_element_style)
      let s = typeof run.content === 'string' ? run.content : ''
      if (s === '') continue
      if (st.inline_code === true) s = '`' + s + '`'
      if (st.bold === true) s = `**${s}**`
      if (st.italic === true) s = `*${s}*`
      if (st.strikethrough === true) s = `~~${s}~~`
      if (st.underline === true) s = `<u>${s}</u>`
      const link = obj(st.link)
      if (typeof link.url === 'string') s = `[${s}](${decode(link.url)})`
      out += s
    } else if ('mention_user' in el) {
      out += `@${String(obj(el.mention_user).user_id ?? '')}`
    } else if ('mention_doc' in el) {
      const m = obj(el.mention_doc)
      out += typeof m.url === 'string' ? `[${String(m.title ?? m.token ?? '')}](${decode(m.url)})` : `@doc(${String(m.token ?? '')})`
    } else if ('equation' in el) {
      out += `$${String(obj(el.equation).content ?? '')}$`
    } else if ('reminder' in el) {
      out += `@reminder(${String(obj(el.reminder).expire_time ?? '')})`
    } else if ('file' in el) {
      out += `[file ${String(obj(el.file).file_token ?? '')}]`
    } else if ('inline_block' in el) {
      out += `[inline ${String(obj(el.inline_block).block_id ?? '')}]`
    } else if ('link_preview' in el) {
      const l = obj(el.link_preview)
      out += `[${String(l.title ?? decode(l.url))}](${decode(l.url)})`
    }
  }
  return out
}

const TEXT_LIKE_CONTAINERS = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 35])

export function renderDocument(rootId: string, get: (id: string) => RenderNode | undefined): string {
  const lines: string[] = []
  const root = get(rootId)
  if (root) renderChildren(root.children, '', lines, get)
  return lines.join('\n')
}

function push(lines: string[], indent: string, marker: string, text: string): void {
  const parts = text.split('\n')
  lines.push(indent + marker + parts[0])
  const cont = indent + ' '.repeat(marker.length)
  for (let i = 1; i < parts.length; i++) lines.push(cont + parts[i])
}

function renderChildren(ids: readonly string[], indent: string, lines: string[], get: (id: string) => RenderNode | undefined): void {
  let number = 0
  for (const id of ids) {
    const node = get(id)
    if (!node) continue
    if (node.type === 13) {
      const seq = obj(node.payload.style).sequence
      number = typeof seq === 'string' && /^\d+$/.test(seq) ? Number(seq) : number + 1
    } else {
      number = 0
    }
    renderBlock(node, number, indent, lines, get)
  }
}

function renderBlock(node: RenderNode, number: number, indent: string, lines: string[], get: (id: string) => RenderNode | undefined): void {
  const p = node.payload
  const childIndent = indent + '  '
  const level = node.type >= 3 && node.type <= 11 ? node.type - 2 : 0
  switch (true) {
    case node.type === 2:
      push(lines, indent, '', renderInline(p.elements))
      break
    case level > 0:
      push(lines, indent, '#'.repeat(level) + ' ', renderInline(p.elements))
      break
    case node.type === 12:
      push(lines, indent, '- ', renderInline(p.elements))
      break
    case node.type === 13:
      push(lines, indent, `${number}. `, renderInline(p.elements))
      break
    case node.type === 17:
      push(lines, indent, obj(p.style).done === true ? '[x] ' : '[ ] ', renderInline(p.elements))
      break
    case node.type === 14: {
      const lang = obj(p.style).language
      const name = typeof lang === 'number' && lang > 1 ? (LANGUAGES[lang] ?? String(lang)) : ''
      lines.push(indent + '```' + name)
      let text = ''
      for (const raw of Array.isArray(p.elements) ? p.elements : []) {
        const run = obj(obj(raw).text_run)
        if (typeof run.content === 'string') text += run.content
      }
      if (text.endsWith('\n')) text = text.slice(0, -1)
      for (const line of text.split('\n')) lines.push(indent + line)
      lines.push(indent + '```')
      return
    }
    case node.type === 15:
      push(lines, indent, '> ', renderInline(p.elements))
      return
    case node.type === 34:
    case node.type === 19: {
      const inner: string[] = []
      if (node.type === 19) inner.push('[!callout]')
      renderChildren(node.children, '', inner, get)
      for (const line of inner) lines.push(indent + (line === '' ? '>' : '> ' + line))
      return
    }
    case node.type === 22:
      lines.push(indent + '---')
      return
    case node.type === 27: {
      const token = p.token
      lines.push(indent + `[image ${typeof token === 'string' && token !== '' ? token : 'empty'}]`)
      return
    }
    case node.type === 43:
      lines.push(indent + `[board ${String(p.token ?? '')}]`)
      return
    case node.type === 31:
      renderTable(node, indent, lines, get)
      return
    case node.type === 1 || node.type === 24 || node.type === 25 || node.type === 32 || node.type === 33:
      renderChildren(node.children, indent, lines, get)
      return
    case node.type === 23: {
      const f = p
      lines.push(indent + `[file ${String(f.name ?? f.token ?? '')}]`)
      return
    }
    default:
      lines.push(indent + `[${node.key}]`)
      renderChildren(node.children, childIndent, lines, get)
      return
  }
  if (TEXT_LIKE_CONTAINERS.has(node.type)) renderChildren(node.children, childIndent, lines, get)
}

function renderTable(node: RenderNode, indent: string, lines: string[], get: (id: string) => RenderNode | undefined): void {
  const prop = obj(node.payload.property)
  const cols = typeof prop.column_size === 'number' && prop.column_size > 0 ? prop.column_size : 1
  const cells = node.children
  for (let r = 0; r * cols < cells.length; r++) {
    const row: string[] = []
    for (let c = 0; c < cols; c++) {
      const cell = get(cells[r * cols + c] ?? '')
      const inner: string[] = []
      if (cell) renderChildren(cell.children, '', inner, get)
      row.push(inner.join('<br>').replaceAll('|', '\\|'))
    }
    lines.push(indent + '| ' + row.join(' | ') + ' |')
    if (r === 0) lines.push(indent + '|' + ' --- |'.repeat(cols))
  }
}
