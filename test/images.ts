/**
 * Small image files for tests: a JPEG whose EXIF block holds GPS coordinates,
 * and a real (decodable) PNG with the same in an eXIf chunk.
 */
import { crc32, deflateSync } from "node:zlib";

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

export const GPS_EXIF = Buffer.from("Exif\0\0...GPSLatitude 31.3 GPSLongitude 120.5...", "latin1");

export function jpegWithGps(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from("JFIF\0\x01\x01", "latin1")),
    segment(0xe1, GPS_EXIF),
    segment(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xaa, 0xbb, 0xff, 0xd9]),
  ]);
}

/** A multipart/form-data body with one file in field `file`, for `app.inject`. */
export function multipartFile(filename: string, content: Buffer) {
  const boundary = "----gongzhi-test-file";
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A `size`×`size` PNG, a vertical gradient of `rgb`, carrying GPS in an eXIf chunk. */
export function pngWithGps(size = 96, rgb: [number, number, number] = [40, 110, 200]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    const k = 0.5 + (0.5 * y) / size;
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = Math.round(rgb[0] * k);
      row[2 + x * 3] = Math.round(rgb[1] * k);
      row[3 + x * 3] = Math.round(rgb[2] * k);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("eXIf", GPS_EXIF.subarray(6)),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
