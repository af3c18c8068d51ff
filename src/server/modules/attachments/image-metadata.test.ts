import { describe, expect, it } from "vitest";
import { GPS_EXIF, jpegWithGps } from "../../../../test/images.js";
import { publicCopy } from "./image-metadata.js";

const GPS = GPS_EXIF;

const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
};

describe("public copies of photos", () => {
  it("drop a JPEG's EXIF (GPS) and keep everything else byte for byte", () => {
    const original = jpegWithGps();
    const copy = publicCopy(original, "image/jpeg");
    expect(copy.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(original.includes(Buffer.from("GPSLatitude"))).toBe(true);
    expect(copy.length).toBe(original.length - (GPS.length + 4));
    expect(copy.subarray(-14).equals(original.subarray(-14))).toBe(true);
    expect(copy.includes(Buffer.from("JFIF"))).toBe(true);
  });

  it("drop a PNG's eXIf and text chunks", () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", Buffer.alloc(13, 1)),
      chunk("eXIf", GPS),
      chunk("iTXt", Buffer.from("XML:com.adobe.xmp GPSLatitude", "latin1")),
      chunk("IDAT", Buffer.alloc(20, 7)),
      chunk("IEND", Buffer.alloc(0)),
    ]);
    const copy = publicCopy(png, "image/png");
    expect(copy.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(copy.includes(Buffer.from("IDAT"))).toBe(true);
    expect(copy.includes(Buffer.from("IEND"))).toBe(true);
  });

  it("drop a WebP's EXIF chunk, fixing the container's size and flags", () => {
    const exif = GPS.length % 2 ? Buffer.concat([GPS, Buffer.alloc(1)]) : GPS;
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x08;
    const body = Buffer.concat([
      Buffer.from("VP8X"),
      Buffer.from([10, 0, 0, 0]),
      vp8x,
      Buffer.from("EXIF"),
      Buffer.from([exif.length, 0, 0, 0]),
      exif,
      Buffer.from("VP8L"),
      Buffer.from([4, 0, 0, 0]),
      Buffer.from([1, 2, 3, 4]),
    ]);
    const head = Buffer.alloc(12);
    head.write("RIFF", 0);
    head.writeUInt32LE(body.length + 4, 4);
    head.write("WEBP", 8);
    const copy = publicCopy(Buffer.concat([head, body]), "image/webp");
    expect(copy.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(copy.readUInt32LE(4)).toBe(copy.length - 8);
    expect(copy[20]).toBe(0);
  });

  it("leave other files alone, and refuse a broken image", () => {
    const pdf = Buffer.from("%PDF-1.4 …");
    expect(publicCopy(pdf, "application/pdf")).toBe(pdf);
    expect(() => publicCopy(Buffer.from([0xff, 0xd8, 0x00]), "image/jpeg")).toThrow();
  });
});
