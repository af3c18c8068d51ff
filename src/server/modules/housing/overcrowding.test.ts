import { describe, expect, it } from "vitest";
import { assessOvercrowding } from "./overcrowding.js";

describe("assessOvercrowding", () => {
  it("flags occupants over the declared capacity", () => {
    expect(
      assessOvercrowding({ occupants: 5, declaredCapacity: 4, floorAreaM2: null }, 5),
    ).toMatchObject({
      overcrowded: true,
      overCapacity: true,
      underAreaPerPerson: false,
    });
    expect(
      assessOvercrowding({ occupants: 4, declaredCapacity: 4, floorAreaM2: null }, 5).overcrowded,
    ).toBe(false);
  });

  it("flags too little floor area per person", () => {
    const r = assessOvercrowding({ occupants: 8, declaredCapacity: 10, floorAreaM2: 30 }, 5);
    expect(r).toMatchObject({
      overcrowded: true,
      overCapacity: false,
      underAreaPerPerson: true,
      areaPerPersonM2: 3.75,
    });
    expect(
      assessOvercrowding({ occupants: 6, declaredCapacity: null, floorAreaM2: 30 }, 5).overcrowded,
    ).toBe(false);
  });

  it("an empty or unmeasured unit is never overcrowded", () => {
    expect(
      assessOvercrowding({ occupants: 0, declaredCapacity: 2, floorAreaM2: 10 }, 5),
    ).toMatchObject({
      overcrowded: false,
      areaPerPersonM2: null,
    });
    expect(
      assessOvercrowding({ occupants: 3, declaredCapacity: null, floorAreaM2: null }, 5)
        .overcrowded,
    ).toBe(false);
  });
});
