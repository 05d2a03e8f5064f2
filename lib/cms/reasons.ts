/** Why a field was left alone: the words the popup shows, the same wherever the field was written. */

/** A field that already has text (the same words as applying to a page). */
export const KEEPS_PERSONS_ALT = 'It already has alt text a person wrote; choose overwrite to replace it';
/** Undo, when a person changed the field after AltScout filled it. */
export const EDITED_SINCE = 'It was edited after AltScout filled it; left as it is';
