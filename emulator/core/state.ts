// Saving and restoring what an emulator remembers, so a test can start many worlds from one prepared state
// instead of preparing each (the fault matrix starts every second-phase cell from the state after the
// fault-free first publish). Only state is copied: an object's functions, clock, options and hooks stay those
// of the emulator it is restored into, and the call log and armed faults are not state.

/**
 * A deep copy that keeps prototypes (class instances, Map, Set, Buffer, typed arrays) and shared references.
 * Frozen objects are shared, not copied: nothing can change them (the document store deep-freezes payloads).
 */
export function deepCopy<T>(value: T, seen = new Map<unknown, unknown>()): T {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new Error('deepCopy: functions are not state')
    return value
  }
  if (Object.isFrozen(value)) return value
  if (seen.has(value)) return seen.get(value) as T
  let copy: unknown
  if (Buffer.isBuffer(value)) copy = Buffer.from(value)
  else if (ArrayBuffer.isView(value)) copy = (value as unknown as Uint8Array).slice()
  else if (value instanceof Date) copy = new Date(value.getTime())
  else if (value instanceof Map) {
    const map = new Map()
    seen.set(value, map)
    for (const [k, v] of value) map.set(deepCopy(k, seen), deepCopy(v, seen))
    return map as T
  } else if (value instanceof Set) {
    const set = new Set()
    seen.set(value, set)
    for (const v of value) set.add(deepCopy(v, seen))
    return set as T
  } else {
    const object: Record<PropertyKey, unknown> = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value))
    seen.set(value, object)
    for (const key of Reflect.ownKeys(value)) object[key] = deepCopy((value as Record<PropertyKey, unknown>)[key], seen)
    return object as T
  }
  seen.set(value, copy)
  return copy as T
}

/** Wiring, not state: a function, or an object holding functions (a clock, options with callbacks, hooks). */
function isWiring(value: unknown): boolean {
  if (typeof value === 'function') return true
  if (value === null || typeof value !== 'object' || value instanceof Map || value instanceof Set || Array.isArray(value)) return false
  return Object.values(value).some((v) => typeof v === 'function')
}

export type SavedFields = Record<string, unknown>

/** A deep copy of the state fields of each object (own properties that are not wiring), in one pass so shared references stay shared. */
export function saveFields(objects: Record<string, object>): Record<string, SavedFields> {
  const picked: Record<string, SavedFields> = {}
  for (const [name, object] of Object.entries(objects)) {
    picked[name] = Object.fromEntries(Object.entries(object).filter(([, v]) => !isWiring(v)))
  }
  return deepCopy(picked)
}

/**
 * Put a saved state into live objects, in place: Maps, Sets, arrays and plain records are emptied and refilled
 * (others may hold references to them), other fields are assigned. The saved state is copied again first, so
 * one saved state can be restored into any number of emulators.
 */
export function restoreFields(objects: Record<string, object>, saved: Record<string, SavedFields>): void {
  const copy = deepCopy(saved)
  for (const [name, object] of Object.entries(objects)) {
    const fields = copy[name]
    if (!fields) throw new Error(`restoreFields: no saved state for ${name}`)
    const target = object as Record<string, unknown>
    for (const [key, value] of Object.entries(fields)) restoreInto(target, key, value)
  }
}

function restoreInto(target: Record<string, unknown>, key: string, value: unknown): void {
  const current = target[key]
  if (current instanceof Map && value instanceof Map) {
    current.clear()
    for (const [k, v] of value) current.set(k, v)
  } else if (current instanceof Set && value instanceof Set) {
    current.clear()
    for (const v of value) current.add(v)
  } else if (Array.isArray(current) && Array.isArray(value)) {
    current.splice(0, current.length, ...value)
  } else if (isPlainRecord(current) && isPlainRecord(value) && !Object.isFrozen(current)) {
    for (const k of Object.keys(current)) delete current[k]
    Object.assign(current, value)
  } else {
    target[key] = value
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
}
