// The job summary is GitHub-flavoured HTML; a terminal wants text: tables keep their separators, links show URLs.
// Used by `npm run demo` and `npm run playground`.
export function summaryAsText(html: string): string {
  return html
    .replace(/<a href="([^"]+)">[^<]*<\/a>/g, (_, url: string) => url.replace(/&amp;/g, '&'))
    .replace(/<\/tr>(?=<tr>)/g, (match, offset: number, all: string) => {
      // After the header row: a Markdown separator, one cell per column.
      const row = all.slice(all.lastIndexOf('<tr>', offset), offset)
      return row.includes('<th>') ? `\n|${'---|'.repeat((row.match(/<th>/g) ?? []).length)}\n` : match
    })
    .replace(/<\/(th|td)>/g, ' | ')
    .replace(/<tr>/g, '| ')
    .replace(/<\/tr>|<br\s*\/?>|<\/p>|<\/h\d>|<\/li>|<\/pre>/g, '\n')
    .replace(/<h(\d)>/g, (_, level: string) => '#'.repeat(Number(level)) + ' ')
    .replace(/<li>/g, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
}
