/**
 * Geohashes: a place as a short string naming a cell of the map. Five
 * characters name a cell of about 5 km by 5 km, all a profile's home area
 * ever holds; the exact place is never sent.
 */
const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The cell of `precision` characters holding the point. */
export function geohash(latitude: number, longitude: number, precision = 5): string {
  const lat: [number, number] = [-90, 90];
  const lon: [number, number] = [-180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  let evenBit = true;
  while (hash.length < precision) {
    // Bits alternate, longitude first: each halves the range it narrows.
    const range = evenBit ? lon : lat;
    const coordinate = evenBit ? longitude : latitude;
    const middle = (range[0] + range[1]) / 2;
    value <<= 1;
    if (coordinate >= middle) {
      value |= 1;
      range[0] = middle;
    } else {
      range[1] = middle;
    }
    evenBit = !evenBit;
    bits += 1;
    if (bits === 5) {
      hash += ALPHABET[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

/** The centre of a cell, rounded to what the cell says (for showing roughly where it is). */
export function cellCentre(hash: string): { latitude: number; longitude: number } {
  const lat: [number, number] = [-90, 90];
  const lon: [number, number] = [-180, 180];
  let evenBit = true;
  for (const char of hash) {
    const value = ALPHABET.indexOf(char);
    for (let bit = 4; bit >= 0; bit--) {
      const range = evenBit ? lon : lat;
      const middle = (range[0] + range[1]) / 2;
      if ((value >> bit) & 1) range[0] = middle;
      else range[1] = middle;
      evenBit = !evenBit;
    }
  }
  return { latitude: (lat[0] + lat[1]) / 2, longitude: (lon[0] + lon[1]) / 2 };
}
