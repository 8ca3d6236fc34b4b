// Dollar signs in real documentation prose that are not math (the unit test and the runner-style test use them).

/** Lines from real documentation (mdBook, VitePress, Chinese docs, READMEs) where no dollar sign is math. */
export const FALSE_POSITIVES: readonly string[] = [
  'Installed into *$HOME/.cargo/bin*; add it to your `$PATH`.',
  'Price: $5 or $10.',
  '$HOME\\store\\index\\${fileName}',
  'The Pro plan costs $20 per month, the Team plan $40 per month.',
  'Set `$GOPATH` and then run `go env $GOPATH`; the default is $HOME/go.',
  'Use $ to refer to the current element, and $$ for the previous one in the console.',
  'Revenue grew from $1.2M to $3.4M in 2023.',
  'Open a terminal and type `echo $SHELL` to see your shell: $SHELL is usually /bin/bash.',
  'The variable $CARGO_HOME defaults to $HOME/.cargo on Unix.',
  '每月费用为 $9.99，年付 $99。',
  '将 `$JAVA_HOME` 设置为 JDK 的安装目录，例如 $HOME/jdk 或 /usr/lib/jvm。',
  'In jQuery, $ is an alias for jQuery, so $ (".item") selects elements.',
  'Template literals use ${expression} placeholders, e.g. `${name}` and ${count}.',
  'You can escape a dollar sign as \\$ in Markdown: it costs \\$5, not \\$6.',
  'Costs range between $ 5 and $ 10 depending on region.',
  'Run `npm run build` then `$ npm start` (the `$` is the prompt, do not type it).',
  'PowerShell variables like $env:PATH and $PSVersionTable are available.',
  'The regex `^\\$[0-9]+$` matches amounts such as $100.',
  'A bounty of $500 is paid for critical bugs and $100 for minor ones.',
  'Windows: %USERPROFILE%\\.cargo\\bin; Unix: $HOME/.cargo/bin (see the `$PATH` note).',
  'Vue exposes $route, $router and $store on every component; use this.$route.',
  'The $1 and $2 in the replacement string refer to capture groups.',
  'Prices: US$5, US$10 and US$15.',
  '在 shell 中使用 $PWD 获取当前目录，用 `$?` 获取上一个命令的退出码。',
]
