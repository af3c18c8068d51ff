/**
 * Overcrowding (群租) rules: more occupants than the declared capacity, or
 * less floor area per occupant than the configured minimum.
 */
export interface OvercrowdingInput {
  occupants: number;
  declaredCapacity: number | null;
  floorAreaM2: number | null;
}

export function assessOvercrowding(u: OvercrowdingInput, minM2PerPerson: number) {
  const overCapacity = u.declaredCapacity !== null && u.occupants > u.declaredCapacity;
  const areaPerPersonM2 =
    u.floorAreaM2 !== null && u.occupants > 0
      ? Math.round((u.floorAreaM2 / u.occupants) * 100) / 100
      : null;
  const underAreaPerPerson = areaPerPersonM2 !== null && areaPerPersonM2 < minM2PerPerson;
  return {
    overcrowded: overCapacity || underAreaPerPerson,
    overCapacity,
    underAreaPerPerson,
    areaPerPersonM2,
  };
}
