//! The webhook triggers: one per kind of event Thrive pushes, with its typed
//! payload ([`crate::triggers::payloads`]).

use crate::block::Block;
use crate::register_trigger;
use crate::tool::Hints;
use crate::triggers::payloads::{
    AssignmentEvent, CompletionEvent, ContentEvent, UntypedEvent, UserEvent,
};
use crate::triggers::{Subscription, Trigger, TriggerFilters, TriggerSource};

/// Where Thrive's webhook events arrive: the receiver's route.
const WEBHOOK_ENDPOINT: &str = "POST /webhooks/thrive/{subscription}";

/// When a user is created, activated, deactivated or updated.
pub struct OnUserChanged;

impl Block for OnUserChanged {
    type Params = TriggerFilters;
    type Output = UserEvent;

    const ID: &'static str = "thrive_on_user_changed";
    const TITLE: &'static str = "When a user is created, activated, deactivated or updated";
    const DESCRIPTION: &'static str =
        "Starts when Thrive reports a user event (user_subscription webhook).";
    const ENDPOINT: &'static str = WEBHOOK_ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnUserChanged {
    const EVENT_TYPES: &'static [&'static str] = &[
        "user.created",
        "user.activated",
        "user.deactivated",
        "user.updated",
    ];
    const SOURCE: TriggerSource = TriggerSource::Webhook {
        subscriptions: &[Subscription::User],
    };
}

register_trigger!(OnUserChanged);

/// When a learner completes or passes content.
pub struct OnContentCompleted;

impl Block for OnContentCompleted {
    type Params = TriggerFilters;
    type Output = CompletionEvent;

    const ID: &'static str = "thrive_on_content_completed";
    const TITLE: &'static str = "When a learner completes content";
    const DESCRIPTION: &'static str =
        "Starts when a learner completes or passes content (completion_subscription webhook).";
    const ENDPOINT: &'static str = WEBHOOK_ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnContentCompleted {
    const EVENT_TYPES: &'static [&'static str] = &["content.completed", "content.passed"];
    const SOURCE: TriggerSource = TriggerSource::Webhook {
        subscriptions: &[Subscription::Completion],
    };
    const FILTERS: &'static [&'static str] = &["eventTypes", "contentIds"];
}

register_trigger!(OnContentCompleted);

/// When content is created, updated, published, deleted, archived or restored.
pub struct OnContentChanged;

impl Block for OnContentChanged {
    type Params = TriggerFilters;
    type Output = ContentEvent;

    const ID: &'static str = "thrive_on_content_changed";
    const TITLE: &'static str = "When content is created, published, archived, ...";
    const DESCRIPTION: &'static str =
        "Starts on a content lifecycle event (content_subscription webhook).";
    const ENDPOINT: &'static str = WEBHOOK_ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnContentChanged {
    const EVENT_TYPES: &'static [&'static str] = &[
        "content.created",
        "content.updated",
        "content.published",
        "content.deleted",
        "content.archived",
        "content.restored",
    ];
    const SOURCE: TriggerSource = TriggerSource::Webhook {
        subscriptions: &[Subscription::Content],
    };
    const FILTERS: &'static [&'static str] = &["eventTypes", "contentIds"];
}

register_trigger!(OnContentChanged);

/// When an assignment is assigned, updated or removed.
pub struct OnAssignmentChanged;

impl Block for OnAssignmentChanged {
    type Params = TriggerFilters;
    type Output = AssignmentEvent;

    const ID: &'static str = "thrive_on_assignment_changed";
    const TITLE: &'static str = "When an assignment is assigned, updated or removed";
    const DESCRIPTION: &'static str =
        "Starts on an assignment event (assignment_subscription webhook).";
    const ENDPOINT: &'static str = WEBHOOK_ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnAssignmentChanged {
    const EVENT_TYPES: &'static [&'static str] = &["assignment.*"];
    const SOURCE: TriggerSource = TriggerSource::Webhook {
        subscriptions: &[Subscription::Assignment],
    };
    const FILTERS: &'static [&'static str] = &["eventTypes", "contentIds", "audienceId"];
}

register_trigger!(OnAssignmentChanged);

/// Any event whose fields Thrive has not documented, passed through untyped.
pub struct OnOtherEvent;

impl Block for OnOtherEvent {
    type Params = TriggerFilters;
    type Output = UntypedEvent;

    const ID: &'static str = "thrive_on_other_event";
    const TITLE: &'static str = "When another Thrive event arrives";
    const DESCRIPTION: &'static str = "Starts on enrolment, page, post, comment, moderation or notification events, passed through untyped with their eventType.";
    const ENDPOINT: &'static str = WEBHOOK_ENDPOINT;
    const HINTS: Hints = Hints::READ;
}

impl Trigger for OnOtherEvent {
    const EVENT_TYPES: &'static [&'static str] = &[
        "enrolment.*",
        "page.*",
        "post.*",
        "comment.*",
        "moderation.*",
        "notification.*",
    ];
    const SOURCE: TriggerSource = TriggerSource::Webhook {
        subscriptions: &[
            Subscription::Assignment,
            Subscription::Content,
            Subscription::Notification,
        ],
    };
}

register_trigger!(OnOtherEvent);
