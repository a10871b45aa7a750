//! Which webhook trigger an event is filed under: the routes the catalogue
//! hands a [`Receiver`](super::Receiver).

use super::subscription::Subscription;
use super::{DynTrigger, TriggerSource, event_type_matches};

/// The webhook triggers a receiver files events under, handed to it by
/// the catalogue ([`Catalogue::webhook_routes`](crate::Catalogue::webhook_routes)):
/// an event goes to the first trigger whose subscriptions and event types
/// cover it, else to the untyped pass-through ([`OTHER_EVENT`]).
#[derive(Clone, Default)]
pub struct WebhookRoutes(Vec<&'static dyn DynTrigger>);

impl WebhookRoutes {
    /// Routes over `triggers` (the webhook ones among them are used).
    pub fn new(triggers: impl IntoIterator<Item = &'static dyn DynTrigger>) -> Self {
        Self(
            triggers
                .into_iter()
                .filter(|t| matches!(t.trigger_meta().source, TriggerSource::Webhook { .. }))
                .collect(),
        )
    }

    /// The trigger that delivers `event_type` from `subscription`.
    pub fn route(
        &self,
        subscription: Subscription,
        event_type: &str,
    ) -> Option<&'static dyn DynTrigger> {
        let covers = |t: &&'static dyn DynTrigger| {
            let meta = t.trigger_meta();
            let TriggerSource::Webhook { subscriptions } = meta.source else {
                return false;
            };
            meta.id != OTHER_EVENT
                && subscriptions.contains(&subscription)
                && meta
                    .event_types
                    .iter()
                    .any(|p| event_type_matches(p, event_type))
        };
        self.0
            .iter()
            .find(|t| covers(t))
            .or_else(|| self.0.iter().find(|t| t.trigger_meta().id == OTHER_EVENT))
            .copied()
    }
}

impl std::fmt::Debug for WebhookRoutes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|t| t.trigger_meta().id))
            .finish()
    }
}

/// The id of the trigger that passes through, untyped, every event no other
/// webhook trigger covers.
pub const OTHER_EVENT: &str = "thrive_on_other_event";
