import { el } from '../../../src/http/browser/safe-dom.ts';
import { icon } from './icon.ts';

/** The addresses linkified() makes links of: read aloud as words, not letter by letter. */
const WEB_ADDRESS = /https?:\/\/[^\s<>"']+/g;
const SPEAKER_ICON = 'M3 9v6h4l5 5V4L7 9zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z';
const STOP_ICON = 'M7 7h10v10H7z';

export interface ReadAloud {
  /** The "Nghe" button of a message from the bot or an agent. */
  listenButton(text: string): HTMLButtonElement;
  stopReading(): void;
}

/**
 * Reading a message aloud, for citizens who find reading hard.
 *
 * Only with a Vietnamese voice: any other voice makes Vietnamese unintelligible. Without one the
 * buttons are not shown at all (`onVoice(false)`: the panel lacks the 'speakable' class) rather
 * than shown disabled: a button the citizen can do nothing about is only clutter. Voices load
 * asynchronously (Chrome has none at first), so the buttons appear when `voiceschanged` brings a
 * Vietnamese one.
 */
export function createReadAloud(onVoice: (available: boolean) => void): ReadAloud {
  const synth = (window.speechSynthesis as SpeechSynthesis | undefined) ?? null;
  let voice: SpeechSynthesisVoice | null = null;
  /** The button of the message being read, and a number that tells this reading's events from an earlier one's. */
  let reading: HTMLButtonElement | null = null;
  let readingId = 0;
  if (synth !== null) {
    findVoice();
    synth.addEventListener('voiceschanged', findVoice);
  }

  function findVoice(): void {
    voice = vietnameseVoice(synth!.getVoices());
    onVoice(voice !== null);
    if (voice === null) stopReading();
  }

  function listenButton(text: string): HTMLButtonElement {
    const button = el('button', { class: 'listen', type: 'button', 'aria-pressed': 'false' }, [
      icon(SPEAKER_ICON, 18),
      'Nghe',
    ]);
    button.setAttribute('aria-label', 'Nghe tin nhắn này');
    button.addEventListener('click', () => (reading === button ? stopReading() : readAloud(button, text)));
    return button;
  }

  function readAloud(button: HTMLButtonElement, text: string): void {
    stopReading();
    if (synth === null || voice === null) return;
    const id = ++readingId;
    const finished = () => {
      if (id === readingId) stopReading();
    };
    // One utterance per line: Chrome cuts a single long utterance off after about 15 seconds.
    const lines = spokenText(text)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    lines.forEach((line, i) => {
      const utterance = new SpeechSynthesisUtterance(line);
      utterance.lang = 'vi-VN';
      utterance.voice = voice;
      utterance.onerror = finished;
      if (i === lines.length - 1) utterance.onend = finished;
      synth.speak(utterance);
    });
    reading = button;
    showReading(button, true);
  }

  function stopReading(): void {
    if (reading === null) return;
    const button = reading;
    reading = null;
    readingId += 1;
    synth?.cancel();
    showReading(button, false);
  }

  return { listenButton, stopReading };
}

function showReading(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', String(on));
  if (on) button.title = 'Dừng đọc';
  else button.removeAttribute('title');
  button.firstElementChild?.replaceWith(icon(on ? STOP_ICON : SPEAKER_ICON, 18));
}

/** A Vietnamese voice, the one for Vietnam first (Android names it vi_VN). */
function vietnameseVoice(voices: readonly SpeechSynthesisVoice[]): SpeechSynthesisVoice | null {
  const vietnamese = voices.filter((v) => /^vi(?:[-_]|$)/i.test(v.lang));
  return vietnamese.find((v) => /^vi[-_]vn$/i.test(v.lang)) ?? vietnamese[0] ?? null;
}

/** A message as it is read aloud: a web address is said as "đường link", not spelled out. */
function spokenText(text: string): string {
  return text.replace(WEB_ADDRESS, 'đường link');
}
