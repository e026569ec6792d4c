/** The chatbox's styles, inside its shadow root: the host page's styles do not reach them, nor ours the page. */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
button { font: inherit; cursor: pointer; }
/* Focus ring: at least 3:1 against the surface around it (WCAG 1.4.11). Dark amber on the light surfaces
   (6.1:1 on #eef4fb and up), light amber on the blue ones (4.7:1 on #0b5cad); the launcher, over a page
   we do not know, also gets a white halo in the ring's gap so it shows on a dark page too. */
button:focus-visible, textarea:focus-visible, .log:focus-visible, a:focus-visible { outline: 3px solid #8a4b00; outline-offset: 2px; }
header button:focus-visible, .msg.citizen a:focus-visible { outline-color: #ffd27a; }
.launcher:focus-visible { box-shadow: 0 0 0 2px #fff, 0 4px 14px rgba(0,0,0,.25); }
.launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; display: flex; gap: 8px; align-items: center;
  min-height: 52px; padding: 0 20px; border: 0; border-radius: 26px; background: #0b5cad; color: #fff; font-size: 17px;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.panel { position: fixed; right: 16px; bottom: 80px; z-index: 2147483000; width: 380px; max-width: calc(100vw - 32px);
  height: 720px; max-height: calc(100vh - 100px); display: flex; flex-direction: column; background: #fff; color: #1a1a1a;
  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 16px; line-height: 1.45; }
.panel[hidden] { display: none; }
.panel.large { font-size: 19px; }
header { display: flex; align-items: center; gap: 4px; padding: 6px 6px 6px 16px; background: #0b5cad; color: #fff; }
h2 { flex: 1; min-width: 0; margin: 0; font-size: 1.05em; font-weight: 600; overflow-wrap: anywhere; }
.icon { flex: none; min-width: 44px; min-height: 44px; border: 0; border-radius: 8px; background: transparent; color: #fff; font-size: 1.1em; }
.icon[aria-pressed="true"] { background: rgba(255,255,255,.25); }
.privacy { margin: 0; padding: 4px 12px; background: #eef4fb; color: #2b3a4a; font-size: .8em; }
.status:not(:empty) { padding: 6px 16px; background: #fff4d6; color: #5a4300; font-size: .85em; }
.scroller { flex: 1; overflow-y: auto; padding: 12px; background: #f6f7f9; }
.log, .outgoing { display: flex; flex-direction: column; gap: 8px; }
.outgoing { margin-top: 8px; }
.msg { max-width: 85%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
/* Answers are long lists and the panel is phone-narrow everywhere: they take the whole width, which
   saves lines to scroll; the citizen's own short messages keep the chat's offset to the right. */
.msg.bot, .msg.agent { align-self: flex-start; max-width: 100%; background: #fff; border: 1px solid #dde3ea; }
.msg.agent { border-color: #2f8f4e; }
.msg.citizen { align-self: flex-end; background: #0b5cad; color: #fff; }
.msg.citizen a { color: #fff; }
.msg.unsent { opacity: .7; }
.msg.failed { background: #b3261e; }
.note { display: block; font-size: .8em; }
a { color: #0b5cad; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.typing { display: flex; gap: 8px; align-items: center; margin-top: 8px; color: #555; font-size: .85em; }
.typing[hidden] { display: none; }
.dots i { display: inline-block; width: 6px; height: 6px; margin: 0 2px; border-radius: 50%; background: #888; animation: blink 1.2s infinite; }
.dots i:nth-child(2) { animation-delay: .2s; } .dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 50% { opacity: .2; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } }
.msg .listen { display: none; }
.speakable .msg .listen { display: flex; align-items: center; gap: 4px; width: fit-content; min-height: 32px; margin-top: 6px;
  padding: 2px 12px 2px 8px; border: 1px solid #0b5cad; border-radius: 16px; background: #fff; color: #0b5cad; font-size: .85em; }
.speakable .msg .listen[aria-pressed="true"] { background: #0b5cad; color: #fff; }
/* Quick replies: one row that scrolls sideways, so suggestions never eat the message area; labels are
   kept short by the script, and nowrap keeps each on one line. */
.quick { display: flex; gap: 6px; padding: 0 12px; overflow-x: auto; overscroll-behavior-x: contain; scrollbar-width: thin; background: #f6f7f9; }
.quick:not(:empty) { padding: 8px 12px; }
.quick button { flex: none; min-height: 40px; padding: 6px 12px; border: 1px solid #0b5cad; border-radius: 20px; background: #fff; color: #0b5cad; white-space: nowrap; }
.actions { display: flex; justify-content: flex-end; padding: 4px 12px; border-top: 1px solid #e3e6ea; }
.handoff { display: flex; gap: 6px; align-items: center; min-height: 40px; padding: 4px 12px; border: 0; border-radius: 8px; background: transparent; color: #2f6b3a; font-weight: 600; }
.composer { display: flex; gap: 8px; padding: 8px 12px 12px; }
/* The field's border is what shows where to type: 4.6:1 on white (WCAG 1.4.11). */
textarea { flex: 1; min-width: 0; resize: none; min-height: 44px; max-height: 120px; padding: 10px; border: 1px solid #6b7785; border-radius: 10px; font: inherit; }
.send { flex: none; min-width: 64px; min-height: 44px; border: 0; border-radius: 10px; background: #0b5cad; color: #fff; font-weight: 600; }
/* A phone, or a desktop at 200-400% zoom: the panel is the whole window. Edges rather than 100vw, which
   counts a page's scrollbar too and would push the panel's left side off the screen. */
@media (max-width: 480px) {
  .panel { top: 0; right: 0; bottom: 0; left: 0; width: auto; max-width: none; height: auto; max-height: none; border-radius: 0; }
}
`;
