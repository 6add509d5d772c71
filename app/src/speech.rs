//! Read a page's main text aloud (朗读) with the Web Speech API, in the
//! page's language. Whether the device has a voice for it is asked each
//! time (voices load late on some phones); without one the caller shows a
//! message instead of failing silently.

use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance};

fn synth() -> Option<SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoken {
    Started,
    Stopped,
    /// No speech engine, or no voice for this language on the device.
    NoVoice,
}

/// Speak `text` in `lang` (`zh-CN` or `en`); if already speaking, stop.
pub fn toggle(text: &str, lang: &str) -> Spoken {
    let Some(synth) = synth() else {
        return Spoken::NoVoice;
    };
    if synth.speaking() {
        synth.cancel();
        return Spoken::Stopped;
    }
    let prefix = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    let voices = synth.get_voices();
    let has_voice = voices
        .iter()
        .filter_map(|v| wasm_bindgen::JsCast::dyn_into::<web_sys::SpeechSynthesisVoice>(v).ok())
        .any(|v| v.lang().to_ascii_lowercase().starts_with(&prefix));
    if !has_voice {
        return Spoken::NoVoice;
    }
    let Ok(u) = SpeechSynthesisUtterance::new_with_text(text) else {
        return Spoken::NoVoice;
    };
    // The language picks the device's voice for it.
    u.set_lang(lang);
    // A little slower than the default, for older listeners.
    u.set_rate(0.9);
    synth.speak(&u);
    Spoken::Started
}

pub fn stop() {
    if let Some(s) = synth() {
        s.cancel();
    }
}
