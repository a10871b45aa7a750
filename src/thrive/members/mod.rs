//! Audience members: list, add, replace, remove, and sync (a composite).

mod add;
mod list;
mod remove;
mod replace;
pub mod sync;

pub use add::{AddAudienceMembers, AddAudienceMembersParams};
pub use list::{ListAudienceMembers, ListAudienceMembersParams};
pub use remove::{RemoveAudienceMember, RemoveAudienceMemberParams};
pub use replace::{ReplaceAudienceMembers, ReplaceAudienceMembersParams};
pub use sync::{SyncAudienceMembers, SyncAudienceMembersParams};

use crate::wire::record::record;

record! {
    /// One member of an audience, as the list-members call returns it.
    pub struct AudienceMember {
        /// The user's id.
        pub user_id: Option<String>,
        /// The user's reference.
        pub reference: Option<String>,
        /// The user's email.
        pub email: Option<String>,
    }
}
