/**
 * Words that place an answer in time, shared by the yes/no, number and request readings: "it was"
 * ("كان عشرة بس هلا خف"), "now" ("بسكر الحين"), and the "but" that turns from one to the other.
 * Normalised spelling (see normalize.ts).
 */
import { words } from './word-list';


/** Past verbs: an answer in the past only ("كان عندي قبل العمليه") does not say how it is now. */
export const PAST_VERBS = words('كان كانت كنت كانو كانوا چان چانت جان جنت چنت');
/** "Now" markers: what follows is the caller's present. */
export const NOW_MARKERS = words('الحين الحين هلق هلا هلاء هلء دلوقتي دلوقت النهارده النهاردا اليوم حاليا الان هسه هسا هسع هالحين');
/** End the reach of a negation: "ما عندي ألم بس عندي ضيق". */
export const CONTRAST_WORDS = words('بس لكن بل انما بالعكس');
