/**
 * What a file is, from its first bytes (magic numbers), never from its name or the type the
 * browser declared: an `.exe` renamed `.pdf` is still a Windows program. Our own small sniffer —
 * the types people attach here are few and their signatures are fixed.
 */

export type FileKind =
  | 'pdf'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'tiff'
  | 'xlsx'
  | 'docx'
  | 'pptx'
  | 'zip'
  | 'xls'
  | 'doc'
  | 'ppt'
  | 'ole'
  | 'text'
  | 'executable'
  | 'script'
  | 'html'
  | 'unknown';

export interface Sniffed {
  kind: FileKind;
  /** the type downloads are served with */
  mime: string;
  /** the type in Chinese, for messages */
  label: string;
}

const TYPES: Record<FileKind, Omit<Sniffed, 'kind'>> = {
  pdf: { mime: 'application/pdf', label: 'PDF 文档' },
  png: { mime: 'image/png', label: 'PNG 图片' },
  jpeg: { mime: 'image/jpeg', label: 'JPEG 图片' },
  gif: { mime: 'image/gif', label: 'GIF 图片' },
  webp: { mime: 'image/webp', label: 'WebP 图片' },
  tiff: { mime: 'image/tiff', label: 'TIFF 图片' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 工作簿（.xlsx）' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word 文档（.docx）' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint 演示文稿（.pptx）' },
  zip: { mime: 'application/zip', label: 'ZIP 压缩包' },
  xls: { mime: 'application/vnd.ms-excel', label: 'Excel 97-2003 工作簿（.xls）' },
  doc: { mime: 'application/msword', label: 'Word 97-2003 文档（.doc）' },
  ppt: { mime: 'application/vnd.ms-powerpoint', label: 'PowerPoint 97-2003 演示文稿（.ppt）' },
  ole: { mime: 'application/x-ole-storage', label: 'Office 97-2003 文件' },
  text: { mime: 'text/plain', label: '纯文本' },
  executable: { mime: 'application/octet-stream', label: '可执行程序' },
  script: { mime: 'application/octet-stream', label: '脚本' },
  html: { mime: 'application/octet-stream', label: '网页（HTML/SVG/XML）' },
  unknown: { mime: 'application/octet-stream', label: '无法识别的二进制文件' },
};

const startsWith = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, s: string, at = 0) => b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s;

/** Which OOXML document a ZIP is: its part names stand in clear in the local and central headers. */
function zipKind(b: Buffer): FileKind {
  if (b.includes('[Content_Types].xml', 0, 'latin1')) {
    if (b.includes('xl/workbook', 0, 'latin1')) return 'xlsx';
    if (b.includes('word/document', 0, 'latin1')) return 'docx';
    if (b.includes('ppt/presentation', 0, 'latin1')) return 'pptx';
  }
  return 'zip';
}

/** Which legacy Office file an OLE compound file is: its stream names are UTF-16 in the directory. */
function oleKind(b: Buffer): FileKind {
  const has = (name: string) => b.includes(Buffer.from(name, 'utf16le'));
  if (has('WordDocument')) return 'doc';
  if (has('Workbook') || has('Book')) return 'xls';
  if (has('PowerPoint Document')) return 'ppt';
  return 'ole';
}

/** Text is what has no control bytes but tab, line breaks, form feed and escape (UTF-8 or GB18030 alike). */
function looksLikeText(b: Buffer): boolean {
  const end = Math.min(b.length, 64 * 1024);
  for (let i = 0; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 27) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

/** Markup a browser would run (a page, an SVG with script): refused, served nowhere. */
function looksLikeMarkup(b: Buffer): boolean {
  const head = b.toString('utf8', 0, Math.min(b.length, 4096)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (!head.startsWith('<')) return false;
  return /<(!doctype html|html|head|body|script|svg|iframe|object|embed|\?xml)/.test(head);
}

export function sniff(content: Buffer): Sniffed {
  const kind = sniffKind(content);
  return { kind, ...TYPES[kind] };
}

function sniffKind(b: Buffer): FileKind {
  if (ascii(b, '%PDF-')) return 'pdf';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(b, 'GIF87a') || ascii(b, 'GIF89a')) return 'gif';
  if (ascii(b, 'RIFF') && ascii(b, 'WEBP', 8)) return 'webp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return zipKind(b);
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleKind(b);
  // Windows PE ("MZ"), ELF, Mach-O (both byte orders, fat binaries), Java classes share 0xCAFEBABE
  if (ascii(b, 'MZ') || startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'executable';
  if ([[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((s) => startsWith(b, s))) return 'executable';
  if (ascii(b, '#!')) return 'script';
  if (looksLikeText(b)) return looksLikeMarkup(b) ? 'html' : 'text';
  return 'unknown';
}

/** What an attachment may be when the field says nothing narrower: documents, scans, office files, archives and text. */
export const ATTACHMENT_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['pdf', 'png', 'jpeg', 'gif', 'webp', 'tiff', 'xlsx', 'docx', 'pptx', 'zip', 'xls', 'doc', 'ppt', 'ole', 'text']);

const BY_EXTENSION: Record<string, FileKind[]> = {
  '.pdf': ['pdf'],
  '.png': ['png'],
  '.jpg': ['jpeg'],
  '.jpeg': ['jpeg'],
  '.gif': ['gif'],
  '.webp': ['webp'],
  '.tif': ['tiff'],
  '.tiff': ['tiff'],
  '.xlsx': ['xlsx'],
  '.docx': ['docx'],
  '.pptx': ['pptx'],
  '.zip': ['zip', 'xlsx', 'docx', 'pptx'],
  '.xls': ['xls', 'ole'],
  '.doc': ['doc', 'ole'],
  '.ppt': ['ppt', 'ole'],
  '.txt': ['text'],
  '.csv': ['text'],
};

/**
 * The kinds a field's accepted extensions (`['.pdf', '.jpg']`, as forms declare them) admit;
 * an extension we do not know admits nothing, and no list admits every attachment kind.
 */
export function kindsFor(accept: readonly string[] | undefined): ReadonlySet<FileKind> {
  if (!accept?.length) return ATTACHMENT_KINDS;
  const kinds = new Set<FileKind>();
  for (const ext of accept) for (const k of BY_EXTENSION[ext.trim().toLowerCase()] ?? []) if (ATTACHMENT_KINDS.has(k)) kinds.add(k);
  return kinds;
}

/** Whether a download may open in the browser (images and PDF); everything else is saved. */
export const opensInline = (mime: string): boolean => mime === 'application/pdf' || (mime.startsWith('image/') && mime !== 'image/svg+xml');
