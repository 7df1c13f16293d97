/**
 * The unit each driver's readings come in (the canonical unit, as src/expr/units.ts reads it):
 * temperatures in degC, relative humidity in % (%RH), pressure in Pa, voltage in V, illuminance
 * in lux, the ADS1115's raw code as a plain number. A sensor that declares another `unit` of the
 * same dimension (degF, hPa, mV, ...) gets its readings converted by the source.
 */
export const I2C_FIELD_UNITS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  bme280: { temperature: 'degC', humidity: '%', pressure: 'Pa' },
  sht31: { temperature: 'degC', humidity: '%' },
  tmp102: { temperature: 'degC' },
  ads1115: { voltage: 'V', raw: '' },
  bh1750: { illuminance: 'lux' },
};

/** The canonical unit of `device`'s `field`, or undefined when there is no such field. */
export function i2cFieldUnit(device: string, field: string): string | undefined {
  return I2C_FIELD_UNITS[device]?.[field];
}
