// Constructors for the blocks the converter writes, in the shapes of the official descendant request schema
// (schemas/feishu/docx.v1.documentBlockDescendant.create.json).
import { type BlockNode, BlockType, PAYLOAD_KEY, type TextElement, type TextStyle } from '../blocks/model.js'
import type { ConvertContext } from './context.js'
import type { InlinePiece } from './pieces.js'

/**
 * The content of an empty paragraph or cell: `elements: []` is rejected with 1770001 invalid param, so an empty
 * text holds one empty run (hoastyle/feishu-doc-tools, the tool this action replaces, hit exactly that).
 */
export function emptyRun(): TextElement {
  return { text_run: { content: '' } }
}

/** A block whose payload is a text body: text, headings, bullet, ordered, todo, code, quote. */
export function textBlock(blockType: number, elements: readonly TextElement[], style?: TextStyle): BlockNode {
  const body = { ...(style && Object.keys(style).length > 0 ? { style } : {}), elements: elements.length > 0 ? [...elements] : [emptyRun()] }
  return { block: { block_type: blockType, [PAYLOAD_KEY[blockType]!]: body }, children: [] }
}

export function dividerBlock(): BlockNode {
  return { block: { block_type: BlockType.divider, divider: {} }, children: [] }
}

/** A code block; `elements` is required even when the code is empty ("children[*].code.elements is required", hoastyle/feishu-doc-tools). */
export function codeBlock(content: string, language: number): BlockNode {
  return textBlock(BlockType.code, [{ text_run: { content } }], { language })
}

export function containerBlock(blockType: number, payload: object, children: BlockNode[]): BlockNode {
  return { block: { block_type: blockType, [PAYLOAD_KEY[blockType]!]: payload }, children }
}

/** An empty image block: the image itself is uploaded afterwards and set with replace_image (token is read-only here). */
export function imageBlock(): BlockNode {
  return { block: { block_type: BlockType.image, image: {} }, children: [] }
}

/** Text pieces as text blocks and images as image blocks, in order. */
export function piecesToBlocks(pieces: readonly InlinePiece[], ctx: ConvertContext): BlockNode[] {
  return pieces.map((piece) => (piece.kind === 'text' ? textBlock(BlockType.text, piece.elements) : imageBlockFor(piece, ctx)))
}

/**
 * For blocks that carry their own text (headings, list items, cells): the text before the first image, and the
 * rest as blocks to put after or under it.
 */
export function leadingText(pieces: readonly InlinePiece[], ctx: ConvertContext): { elements: TextElement[]; rest: BlockNode[] } {
  const [first, ...others] = pieces
  if (first?.kind === 'text') return { elements: first.elements, rest: piecesToBlocks(others, ctx) }
  return { elements: [], rest: piecesToBlocks(pieces, ctx) }
}

/**
 * An SVG file is not an image Feishu can show: the media upload takes raster images only (Feishu's own editor
 * refuses .svg, and other publishers convert first: xigua222/ObShare issue #5 "目前飞书是不支持svg文件的上传的").
 * Such an image becomes a line linking to the file (on GitHub for a repository file), with a warning.
 */
const SVG = /\.svgz?(?:[?#].*)?$/i

function svgPlaceholder(piece: Extract<InlinePiece, { kind: 'image' }>, ctx: ConvertContext): BlockNode {
  const { src, alt, source } = piece.image
  ctx.warn('svg-image', source, `SVG image ${src} is published as a link to the file: Feishu documents cannot show SVG images.`)
  const label = `🖼 ${alt.trim() || src.replace(/[?#].*$/, '').split('/').pop()} (SVG image)`
  const url = ctx.linkUrl(src, source)
  return textBlock(BlockType.text, [{ text_run: { content: label, ...(url !== undefined ? { text_element_style: { link: { url } } } : {}) } }])
}

function imageBlockFor(piece: Extract<InlinePiece, { kind: 'image' }>, ctx: ConvertContext): BlockNode {
  if (SVG.test(piece.image.src)) return svgPlaceholder(piece, ctx)
  const node = imageBlock()
  const { src, alt, source, linked } = piece.image
  ctx.addImage(node, src, alt, source)
  if (linked) ctx.warn('image-link-dropped', source, `The link around image ${src} is dropped: a Feishu image block cannot carry a link.`)
  return node
}
