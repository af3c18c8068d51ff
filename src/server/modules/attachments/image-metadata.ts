/**
 * Public copies of photos carry no location: the metadata blocks where
 * cameras write GPS (EXIF, and XMP which can repeat it) are removed, the
 * picture itself is left byte for byte. JPEG: APP1 segments; PNG: eXIf and
 * text chunks (XMP lives in iTXt); WebP: the EXIF and XMP chunks, with the
 * container's size and flags kept right.
 */

const JPEG_SOI = 0xffd8;

function stripJpeg(buf: Buffer): Buffer {
  if (buf.length < 4 || buf.readUInt16BE(0) !== JPEG_SOI) throw new Error("not a JPEG");
  const parts: Buffer[] = [buf.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= buf.length) {
    if (buf[at] !== 0xff) throw new Error("malformed JPEG segment");
    const marker = buf[at + 1] as number;
    // Start of scan: the rest is image data (and the end marker).
    if (marker === 0xda) {
      parts.push(buf.subarray(at));
      return Buffer.concat(parts);
    }
    // Markers without a length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(buf.subarray(at, at + 2));
      at += 2;
      continue;
    }
    const len = buf.readUInt16BE(at + 2);
    const end = at + 2 + len;
    if (len < 2 || end > buf.length) throw new Error("malformed JPEG segment length");
    // APP1 holds EXIF (with GPS) and XMP; nothing a viewer needs.
    if (marker !== 0xe1) parts.push(buf.subarray(at, end));
    at = end;
  }
  throw new Error("JPEG without image data");
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROP = new Set(["eXIf", "tEXt", "iTXt", "zTXt"]);

function stripPng(buf: Buffer): Buffer {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG");
  const parts: Buffer[] = [buf.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const end = at + 12 + len;
    if (end > buf.length) throw new Error("malformed PNG chunk");
    if (!PNG_DROP.has(type)) parts.push(buf.subarray(at, end));
    at = end;
    if (type === "IEND") break;
  }
  return Buffer.concat(parts);
}

function stripWebp(buf: Buffer): Buffer {
  if (buf.toString("latin1", 0, 4) !== "RIFF" || buf.toString("latin1", 8, 12) !== "WEBP")
    throw new Error("not a WebP");
  const chunks: Buffer[] = [];
  let at = 12;
  while (at + 8 <= buf.length) {
    const type = buf.toString("latin1", at, at + 4);
    const len = buf.readUInt32LE(at + 4);
    const end = at + 8 + len + (len % 2);
    if (at + 8 + len > buf.length) throw new Error("malformed WebP chunk");
    if (type !== "EXIF" && type !== "XMP ") {
      const chunk = Buffer.from(buf.subarray(at, Math.min(end, buf.length)));
      // VP8X flags: bit 3 EXIF, bit 2 XMP; the chunks are gone.
      if (type === "VP8X" && chunk.length > 8) chunk[8] = (chunk[8] as number) & ~0x0c;
      chunks.push(chunk);
    }
    at = end;
  }
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write("RIFF", 0, "latin1");
  head.writeUInt32LE(body.length + 4, 4);
  head.write("WEBP", 8, "latin1");
  return Buffer.concat([head, body]);
}

/** The bytes to show the public: images without location metadata, other files as they are. */
export function publicCopy(buf: Buffer, mime: string): Buffer {
  if (mime === "image/jpeg") return stripJpeg(buf);
  if (mime === "image/png") return stripPng(buf);
  if (mime === "image/webp") return stripWebp(buf);
  return buf;
}
