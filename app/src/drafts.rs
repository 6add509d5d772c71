//! The draft being walked, shared by every step page through context, and
//! its saving: each change is written to IndexedDB at once (no timer to
//! lose), one strict transaction at a time; changes made while a write is
//! in flight are folded into the next one, so the phone never queues a
//! backlog of writes and the last state always reaches the disk.

use std::cell::Cell;
use std::rc::Rc;

use banshi_core::api::EventBundle;
use banshi_core::draft::{Draft, Owner};
use banshi_core::guide::{self, Outcome, Profile};
use banshi_core::journey::{self, Step};
use leptos::prelude::*;

use crate::{store, time};

#[derive(Clone, Copy)]
pub struct DraftCtx {
    pub draft: RwSignal<Draft>,
    pub bundle: &'static EventBundle,
    saver: StoredValue<Saver, LocalStorage>,
    /// A save failed (storage full, private mode…): pages say so.
    pub save_failed: RwSignal<bool>,
    /// What a changed answer made unnecessary, to tell on the next page.
    pub dropped: RwSignal<Vec<banshi_core::Text>>,
}

#[derive(Clone, Default)]
struct Saver {
    in_flight: Rc<Cell<bool>>,
    dirty: Rc<Cell<bool>>,
}

impl DraftCtx {
    pub fn new(draft: Draft, bundle: &'static EventBundle) -> Self {
        DraftCtx {
            draft: RwSignal::new(draft),
            bundle,
            saver: StoredValue::new_local(Saver::default()),
            save_failed: RwSignal::new(false),
            dropped: RwSignal::new(Vec::new()),
        }
    }

    /// Change the draft and save it.
    pub fn update(&self, f: impl FnOnce(&mut Draft)) {
        self.draft.update(|d| {
            f(d);
            d.updated_at = time::now();
        });
        self.save();
    }

    /// Remember the step being shown (to land on it again), without a re-render.
    pub fn at_step(&self, path: &str) {
        if self
            .draft
            .with_untracked(|d| d.step.as_deref() != Some(path))
        {
            self.draft
                .update_untracked(|d| d.step = Some(path.to_owned()));
            self.save();
        }
    }

    fn save(&self) {
        let saver = self.saver.get_value();
        if saver.in_flight.get() {
            saver.dirty.set(true);
            return;
        }
        saver.in_flight.set(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            loop {
                saver.dirty.set(false);
                let d = this.draft.get_untracked();
                let ok = store::save_draft(&d).await.is_ok();
                this.save_failed.set(!ok);
                if !saver.dirty.get() {
                    break;
                }
            }
            saver.in_flight.set(false);
        });
    }

    /// Set an answer, drop what no longer applies, and remember what went.
    pub fn answer(&self, question: &str, answer: banshi_core::guide::Answer) {
        let event = &self.bundle.event;
        let profile = self.profile();
        let mut notes = Vec::new();
        self.update(|d| {
            d.answers.insert(question.to_owned(), answer);
            let (pruned, materials) = d.prune(event, &profile);
            notes.extend(
                pruned
                    .dropped_answers
                    .iter()
                    .filter_map(|id| event.question(id))
                    .map(|q| q.text.clone()),
            );
            notes.extend(
                pruned
                    .dropped_fields
                    .iter()
                    .filter_map(|k| event.field(k))
                    .map(|f| f.label.clone()),
            );
            notes.extend(materials.iter().filter_map(|id| {
                event
                    .items
                    .iter()
                    .flat_map(|i| &i.materials)
                    .find(|m| &m.id == id)
                    .map(|m| m.name.clone())
            }));
        });
        self.dropped.set(notes);
    }

    pub fn profile(&self) -> Profile {
        Profile::new(time::today())
    }

    /// The guide's outcome for the draft as it is now. Reactive.
    pub fn outcome(&self) -> Outcome<'static> {
        let event = &self.bundle.event;
        let profile = self.profile();
        self.draft
            .with(|d| guide::evaluate(event, &d.answers, &profile))
    }

    /// The journey's steps as they are now. Reactive.
    pub fn steps(&self) -> Vec<Step> {
        journey::steps(&self.outcome(), &self.bundle.sections)
    }

    pub fn id(&self) -> String {
        self.draft.with_untracked(|d| d.id.clone())
    }

    pub fn path(&self, step: &Step) -> String {
        step.path(&self.id())
    }
}

pub fn use_draft() -> DraftCtx {
    expect_context::<DraftCtx>()
}

/// A new draft of `event` for `owner`, saved before anything is shown.
pub async fn create(event: &str, owner: Owner) -> store::StoreResult<Draft> {
    let d = Draft::new(
        time::random_id(),
        owner,
        event,
        time::random_id(),
        time::now(),
    );
    store::save_draft(&d).await?;
    Ok(d)
}

/// The drafts `viewer` may see on this device, last edited first.
pub async fn visible(viewer: &Owner) -> Vec<Draft> {
    newest_first(|d| d.visible_to(viewer)).await
}

/// Submissions `viewer` made while acting for someone that the edge then
/// refused for good: kept for them to read and discard.
pub async fn refused_for_agent(viewer: &Owner) -> Vec<Draft> {
    newest_first(|d| d.refused_for_agent(viewer)).await
}

async fn newest_first(keep: impl Fn(&Draft) -> bool) -> Vec<Draft> {
    let mut all: Vec<Draft> = store::all_drafts()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|d| keep(d))
        .collect();
    all.sort_by_key(|d| std::cmp::Reverse(d.updated_at));
    all
}

/// Every step page calls this first: remember that the resident is here
/// (to land here again) and, if the step does not exist for this draft any
/// more (a question that no longer applies, a page past an unanswered
/// question), go to the step to continue from instead.
pub fn use_step(step: impl Fn() -> Step + Send + Sync + 'static) {
    let ctx = use_draft();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move || {
        let step = step();
        let steps = ctx.steps();
        if steps.contains(&step) {
            ctx.at_step(&ctx.path(&step));
        } else {
            let outcome = ctx.outcome();
            let to = journey::resume(&steps, &outcome, None);
            navigate(
                &ctx.path(&to),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}

/// Did the resident come from check answers (`?return=check`)? Then the
/// step goes back there when done.
pub fn returning_to_check() -> bool {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("return").as_deref() == Some("check"))
}

/// Where "continue" goes from `current`: back to check answers when the
/// resident came from there and nothing new must be asked first, else the
/// next step.
pub fn after(ctx: &DraftCtx, current: &Step, to_check: bool) -> String {
    let steps = ctx.steps();
    let outcome = ctx.outcome();
    let next = if to_check && outcome.is_complete() {
        Step::Check
    } else {
        journey::next(&steps, current).unwrap_or(Step::Check)
    };
    let path = ctx.path(&next);
    if to_check && next != Step::Check {
        format!("{path}?return=check")
    } else {
        path
    }
}

/// GOV.UK's back link target: the step before, or the event page.
pub fn back(ctx: &DraftCtx, current: &Step) -> String {
    match journey::previous(&ctx.steps(), current) {
        Some(s) => ctx.path(&s),
        None => format!("/events/{}", ctx.bundle.event.id),
    }
}
