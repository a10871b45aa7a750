//! Audience members: list, add, replace, remove.

mod add;

pub use add::{AddAudienceMembers, AddAudienceMembersParams};
