//! The demo tenant, generated deterministically from the seed.
//!
//! Contents (for the default seed and any other):
//! - 300 users `EMP-00001`…`EMP-00300` with realistic names, unique emails
//!   at `thrive-sandbox.example`, roles (3 administrators, 15 learning
//!   admins), job titles, line managers (`managerRef`), departments in
//!   `additionalFields`, and a mix of statuses (mostly `active`, some
//!   `inactive`/suspended, `new` and `expired`; at least one of each);
//! - 3 API-controlled structures (`struct-sales`, `struct-engineering`,
//!   `struct-operations`) with 3, 4 and 2 child audiences, members (rolled
//!   up into the structures) and managers; plus one UI-created structure
//!   (`ui-all-staff`, `apiControlled: false`) with a smart child audience
//!   (`ui-new-starters`);
//! - 15 tags (leadership, communication, compliance, …), learners'
//!   interests and skills;
//! - 20 content items of 14 types with 24-hex ids;
//! - 6 assignments with enrolments in every status (with history) and the
//!   completions behind the completed ones, plus other completions (some
//!   RPL);
//! - ~600 activity records, 8 CPD categories, ~360 CPD entries and 5 CPD
//!   requirement summaries.
//!
//! Timestamps are laid out relative to a fixed anchor,
//! 2025-09-01T09:00:00Z, so the data is identical from run to run; seeded
//! statuses are fixed and not recomputed against the wall clock.

use serde_json::{Value, json};

use crate::config::SandboxConfig;
use crate::model::assignments::{Assignment, Enrolment, EnrolmentStatus, HistoryEntry};
use crate::model::audiences::{Audience, Category, Manager, Permissions};
use crate::model::completions::Completion;
use crate::model::content::{Activity, Content, ContentHistory};
use crate::model::cpd::{CpdCategory, CpdEntry, CpdRequirement};
use crate::model::tags::Tag;
use crate::model::users::{UserSkill, UserStatus};
use crate::rng::Rng;
use crate::state::Db;
use crate::time::{DAY_MS, Millis, format_millis, millis_from_parts};

const FIRST_NAMES: [&str; 64] = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Ella", "Evie", "Poppy", "Florence", "Aisha", "Priya", "Chloe", "Hannah",
    "Zara", "Maya", "Ruby", "Emily", "Sofia", "Lucy", "Nadia", "Chen", "Yuki", "Fatima", "Noah",
    "Oliver", "George", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Henry", "Theo",
    "Jack", "Charlie", "Freddie", "Alfie", "Thomas", "James", "William", "Samuel", "Daniel",
    "Joshua", "Isaac", "Ethan", "Lucas", "Mason", "Arjun", "Ravi", "Kwame", "Mateo", "Luca",
    "Tomasz", "Sean", "Ibrahim", "Jonah",
];

const LAST_NAMES: [&str; 64] = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "King",
    "Lee",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan-Ali",
    "Okafor",
    "Nguyen",
    "Kowalski",
    "Rossi",
    "Fernandes",
    "O'Brien",
    "Mensah",
    "Singh",
];

/// (structure name, reference, short department, children: (name, reference, job titles)).
type ChildSpec = (&'static str, &'static str, [&'static str; 3]);
const STRUCTURES: [(&str, &str, &str, &[ChildSpec]); 3] = [
    (
        "Sales Division",
        "struct-sales",
        "Sales",
        &[
            (
                "Account Executives",
                "aud-account-execs",
                [
                    "Account Executive",
                    "Senior Account Executive",
                    "Business Development Rep",
                ],
            ),
            (
                "Customer Success",
                "aud-customer-success",
                [
                    "Customer Success Manager",
                    "Support Specialist",
                    "Onboarding Consultant",
                ],
            ),
            (
                "Sales Leadership",
                "aud-sales-leadership",
                [
                    "Sales Director",
                    "Regional Sales Manager",
                    "Head of Sales Operations",
                ],
            ),
        ],
    ),
    (
        "Engineering Division",
        "struct-engineering",
        "Engineering",
        &[
            (
                "Platform Team",
                "aud-platform",
                [
                    "Platform Engineer",
                    "Site Reliability Engineer",
                    "Cloud Architect",
                ],
            ),
            (
                "Product Engineering",
                "aud-product-eng",
                [
                    "Software Engineer",
                    "Senior Software Engineer",
                    "Frontend Developer",
                ],
            ),
            (
                "Quality & Release",
                "aud-quality",
                ["QA Analyst", "Test Automation Engineer", "Release Manager"],
            ),
            (
                "Engineering Managers",
                "aud-eng-managers",
                [
                    "Engineering Manager",
                    "Director of Engineering",
                    "Technical Lead",
                ],
            ),
        ],
    ),
    (
        "Operations Division",
        "struct-operations",
        "Operations",
        &[
            (
                "Finance",
                "aud-finance",
                [
                    "Financial Analyst",
                    "Accounts Assistant",
                    "Finance Business Partner",
                ],
            ),
            (
                "People Team",
                "aud-people",
                [
                    "HR Advisor",
                    "Learning & Development Partner",
                    "Talent Acquisition Specialist",
                ],
            ),
        ],
    ),
];

const LOCATIONS: [(&str, &str, &str); 6] = [
    ("London", "Europe/London", "en-gb"),
    ("Manchester", "Europe/London", "en-gb"),
    ("Edinburgh", "Europe/London", "en-gb"),
    ("New York", "America/New_York", "en-us"),
    ("Paris", "Europe/Paris", "fr-fr"),
    ("Berlin", "Europe/Berlin", "de-de"),
];

const TAGS: [&str; 15] = [
    "leadership",
    "communication",
    "compliance",
    "data-protection",
    "information-security",
    "health-and-safety",
    "wellbeing",
    "sales",
    "customer-success",
    "engineering",
    "coaching",
    "project-management",
    "negotiation",
    "onboarding",
    "diversity-and-inclusion",
];

/// One seeded content item.
struct ContentSpec {
    title: &'static str,
    kind: &'static str,
    tags: &'static [&'static str],
    minutes: Option<i64>,
    official: bool,
}

const CONTENT: [ContentSpec; 20] = [
    ContentSpec {
        title: "Information Security Essentials",
        kind: "elearning",
        tags: &["information-security", "compliance"],
        minutes: Some(30),
        official: true,
    },
    ContentSpec {
        title: "GDPR and Data Protection Fundamentals",
        kind: "scorm",
        tags: &["data-protection", "compliance"],
        minutes: Some(45),
        official: true,
    },
    ContentSpec {
        title: "Fire Safety Awareness",
        kind: "video",
        tags: &["health-and-safety", "compliance"],
        minutes: Some(15),
        official: true,
    },
    ContentSpec {
        title: "Code of Conduct 2025",
        kind: "file",
        tags: &["compliance"],
        minutes: Some(20),
        official: true,
    },
    ContentSpec {
        title: "Anti-Bribery and Corruption",
        kind: "elearning",
        tags: &["compliance"],
        minutes: Some(25),
        official: true,
    },
    ContentSpec {
        title: "Leading Effective One-to-Ones",
        kind: "article",
        tags: &["leadership", "coaching"],
        minutes: Some(8),
        official: false,
    },
    ContentSpec {
        title: "Giving Feedback That Lands",
        kind: "video",
        tags: &["communication", "leadership"],
        minutes: Some(12),
        official: false,
    },
    ContentSpec {
        title: "Negotiation Masterclass",
        kind: "event",
        tags: &["negotiation", "sales"],
        minutes: Some(90),
        official: false,
    },
    ContentSpec {
        title: "Discovery Calls That Convert",
        kind: "video",
        tags: &["sales", "communication"],
        minutes: Some(18),
        official: false,
    },
    ContentSpec {
        title: "Customer Success Playbook",
        kind: "pathway",
        tags: &["customer-success"],
        minutes: Some(120),
        official: true,
    },
    ContentSpec {
        title: "Writing Clear Technical Documents",
        kind: "article",
        tags: &["engineering", "communication"],
        minutes: Some(10),
        official: false,
    },
    ContentSpec {
        title: "Secure Coding in Practice",
        kind: "cmi5",
        tags: &["engineering", "information-security"],
        minutes: Some(60),
        official: true,
    },
    ContentSpec {
        title: "Incident Response Drill",
        kind: "assessment",
        tags: &["information-security"],
        minutes: Some(20),
        official: true,
    },
    ContentSpec {
        title: "Managing Stress and Building Resilience",
        kind: "url",
        tags: &["wellbeing"],
        minutes: Some(7),
        official: false,
    },
    ContentSpec {
        title: "Inclusive Leadership",
        kind: "quiz",
        tags: &["diversity-and-inclusion", "leadership"],
        minutes: Some(15),
        official: false,
    },
    ContentSpec {
        title: "Project Planning Basics",
        kind: "article",
        tags: &["project-management"],
        minutes: Some(9),
        official: false,
    },
    ContentSpec {
        title: "Welcome to the Company",
        kind: "broadcast",
        tags: &["onboarding"],
        minutes: Some(5),
        official: true,
    },
    ContentSpec {
        title: "First 90 Days Pathway",
        kind: "pathway",
        tags: &["onboarding"],
        minutes: Some(180),
        official: true,
    },
    ContentSpec {
        title: "Coaching Conversations Quick Check",
        kind: "question",
        tags: &["coaching"],
        minutes: Some(2),
        official: false,
    },
    ContentSpec {
        title: "Quarterly Business Review Deck",
        kind: "mixed",
        tags: &["sales"],
        minutes: None,
        official: false,
    },
];

/// One seeded assignment: indexes into [`CONTENT`] and an audience reference.
struct AssignmentSpec {
    content: usize,
    audience: &'static str,
    period: i64,
    recurrence: Option<i64>,
    alternatives: &'static [usize],
}

const ASSIGNMENTS: [AssignmentSpec; 6] = [
    AssignmentSpec {
        content: 0,
        audience: "struct-engineering",
        period: 30,
        recurrence: Some(365),
        alternatives: &[],
    },
    AssignmentSpec {
        content: 1,
        audience: "aud-customer-success",
        period: 30,
        recurrence: None,
        alternatives: &[],
    },
    AssignmentSpec {
        content: 2,
        audience: "struct-operations",
        period: 14,
        recurrence: Some(365),
        alternatives: &[],
    },
    AssignmentSpec {
        content: 5,
        audience: "aud-sales-leadership",
        period: 60,
        recurrence: None,
        alternatives: &[6],
    },
    AssignmentSpec {
        content: 3,
        audience: "aud-platform",
        period: 30,
        recurrence: Some(365),
        alternatives: &[],
    },
    AssignmentSpec {
        content: 4,
        audience: "aud-account-execs",
        period: 14,
        recurrence: None,
        alternatives: &[3],
    },
];

const CPD_CATEGORIES: [&str; 8] = [
    "LEADERSHIP",
    "TECHNOLOGY",
    "COMPLIANCE",
    "COMMUNICATION",
    "HEALTH & SAFETY",
    "PROFESSIONAL ETHICS",
    "FINANCE",
    "WELLBEING",
];

const EXTERNAL_CPD: [(&str, &str); 6] = [
    ("event", "Industry conference: The Future of Work"),
    ("event", "Regional professional body seminar"),
    ("article", "Reading: Harvard Business Review digest"),
    ("video", "Webinar: Regulatory update for the quarter"),
    ("file", "Mentoring session notes"),
    ("url", "Online course: Data Literacy for Everyone"),
];

const SEARCH_TERMS: [&str; 8] = [
    "gdpr",
    "feedback",
    "negotiation",
    "security",
    "onboarding",
    "wellbeing",
    "leadership",
    "excel",
];

/// The seed data's "now".
pub(crate) fn anchor() -> Millis {
    millis_from_parts(2025, 9, 1, 9, 0, 0)
}

fn days(n: i64) -> Millis {
    n * DAY_MS
}

/// A random instant up to `max_days` before `before`, at a working-hours-ish
/// time with milliseconds.
fn some_time_before(rng: &mut Rng, before: Millis, min_days: i64, max_days: i64) -> Millis {
    let day = before - days(rng.range(min_days, max_days));
    let day_start = day - day.rem_euclid(DAY_MS);
    day_start + rng.range(7 * 3_600_000, 18 * 3_600_000) + rng.range(0, 999)
}

struct Team {
    audience: usize,
    titles: [&'static str; 3],
    department: &'static str,
    lead: Option<String>,
}

/// Fills `db` with the demo tenant.
/// The tenant for `config`: the demo data of `config.seed`, or only the
/// tenant configuration when `config.empty`.
pub(crate) fn tenant(config: &SandboxConfig) -> Db {
    let mut db = Db::empty(config);
    if !config.empty {
        populate(&mut db, config.seed);
    }
    db
}

pub(crate) fn populate(db: &mut Db, seed: u64) {
    let mut rng = Rng::new(seed, 0x5EED);
    let now = anchor();
    seed_tags(db, &mut rng, now);
    let teams = seed_audiences(db, &mut rng, now);
    seed_users(db, &mut rng, now, teams);
    seed_managers(db);
    seed_content(db, &mut rng, now);
    seed_assignments(db, &mut rng, now);
    seed_extra_completions(db, &mut rng, now);
    seed_activities(db, &mut rng, now);
    seed_cpd(db, &mut rng, now);
}

fn seed_tags(db: &mut Db, rng: &mut Rng, now: Millis) {
    for name in TAGS {
        let id = db.ids.next_id();
        let campaigns = if rng.chance(0.3) {
            vec![db.ids.next_id()]
        } else {
            Vec::new()
        };
        db.tags.push(Tag {
            id,
            name: name.to_owned(),
            campaigns,
            updated_at: some_time_before(rng, now, 30, 400),
        });
    }
}

fn seed_audiences(db: &mut Db, rng: &mut Rng, now: Millis) -> Vec<Team> {
    let mut teams = Vec::new();
    for (name, reference, department, children) in STRUCTURES {
        let created = some_time_before(rng, now, 500, 600);
        let structure_id = db.ids.next_id();
        let mut structure = Audience::new(
            structure_id.clone(),
            name.to_owned(),
            Some(reference.to_owned()),
            Category::Structure,
            None,
            true,
            created,
        );
        structure.updated_at = created + days(rng.range(0, 60));
        db.audiences.push(structure);
        for (child_name, child_ref, titles) in children {
            let child_created = created + days(rng.range(1, 30));
            let mut child = Audience::new(
                db.ids.next_id(),
                (*child_name).to_owned(),
                Some((*child_ref).to_owned()),
                Category::Audience,
                Some(structure_id.clone()),
                true,
                child_created,
            );
            child.updated_at = child_created + days(rng.range(0, 90));
            db.audiences.push(child);
            teams.push(Team {
                audience: db.audiences.len() - 1,
                titles: *titles,
                department,
                lead: None,
            });
        }
    }
    let created = some_time_before(rng, now, 650, 700);
    let ui_id = db.ids.next_id();
    db.audiences.push(Audience::new(
        ui_id.clone(),
        "All Staff".to_owned(),
        Some("ui-all-staff".to_owned()),
        Category::Structure,
        None,
        false,
        created,
    ));
    let mut smart = Audience::new(
        db.ids.next_id(),
        "New Starters".to_owned(),
        Some("ui-new-starters".to_owned()),
        Category::Audience,
        Some(ui_id),
        false,
        created + days(2),
    );
    smart.kind = "smart";
    db.audiences.push(smart);
    teams
}

fn seed_users(db: &mut Db, rng: &mut Rng, now: Millis, mut teams: Vec<Team>) {
    let mut emails = std::collections::HashSet::new();
    let all_staff = db.find_audience("ui-all-staff");
    let new_starters = db.find_audience("ui-new-starters");
    let tag_ids: Vec<String> = db.tags.iter().map(|t| t.id.clone()).collect();
    for i in 1..=300usize {
        let first = *rng.pick(&FIRST_NAMES);
        let last = *rng.pick(&LAST_NAMES);
        let base = format!(
            "{}.{}",
            first.to_lowercase(),
            last.to_lowercase().replace(['\'', ' '], "")
        );
        let mut email = format!("{base}@thrive-sandbox.example");
        let mut n = 2;
        while !emails.insert(email.clone()) {
            email = format!("{base}{n}@thrive-sandbox.example");
            n += 1;
        }
        let team_idx = if i <= teams.len() {
            i - 1
        } else {
            rng.index(teams.len())
        };
        let (city, zone, language) = *rng.pick(&LOCATIONS);
        let created = some_time_before(rng, now, 40, 700);
        let mut user = db.blank_user(created);
        let reference = format!("EMP-{i:05}");
        user.reference = Some(reference.clone());
        user.first_name = first.to_owned();
        user.last_name = last.to_owned();
        user.email = Some(email);
        user.role = match i {
            1..=3 => "administrator",
            4..=18 => "learneradmin",
            _ => "learner",
        }
        .to_owned();
        let team = &mut teams[team_idx];
        user.job_title = Some(
            if team.lead.is_none() {
                team.titles[2]
            } else {
                team.titles[rng.index(2)]
            }
            .to_owned(),
        );
        user.manager_ref = team.lead.clone();
        if team.lead.is_none() {
            team.lead = Some(reference.clone());
        }
        user.start_date = Some(format_millis(created - days(rng.range(0, 14))));
        user.time_zone = zone.to_owned();
        user.language_code = Some(language.to_owned());
        user.additional_fields = json!({ "department": team.department, "location": city });
        user.sso = rng.chance(0.2);
        user.updated_at = created + rng.range(0, now - created);
        user.has_picture = rng.chance(0.6);
        user.onboarded = true;
        user.level = rng.range(0, 12);
        user.first_login = Some(created + days(rng.range(0, 5)));
        user.last_login = Some(now - days(rng.range(0, 30)) - rng.range(0, DAY_MS));
        user.status = UserStatus::Active;
        let roll = rng.below(100);
        let status = match i {
            298 => UserStatus::Inactive,
            299 => UserStatus::New,
            300 => UserStatus::Expired,
            _ if i <= 18 => UserStatus::Active,
            _ if roll < 4 => UserStatus::Inactive,
            _ if roll < 7 => UserStatus::New,
            _ if roll < 9 => UserStatus::Expired,
            _ => UserStatus::Active,
        };
        match status {
            UserStatus::Inactive => {
                user.active = false;
                user.end_date = Some(format_millis(now - days(rng.range(5, 90))));
            }
            UserStatus::New => {
                user.first_login = None;
                user.last_login = None;
                user.onboarded = false;
            }
            UserStatus::Expired => {
                user.end_date = Some(format_millis(now - days(rng.range(1, 60))));
            }
            UserStatus::Active => {}
        }
        user.status = status;
        for _ in 0..rng.below(3) {
            let tag = rng.pick(&tag_ids).clone();
            if !user.interests.contains(&tag) {
                user.interests.push(tag);
            }
        }
        for _ in 0..rng.below(4) {
            let tag = rng.pick(&tag_ids).clone();
            if !user.skills.iter().any(|s| s.tag_id == tag) {
                let level = rng.range(1, 3);
                user.skills.push(UserSkill {
                    tag_id: tag,
                    level: Some(level as f64),
                    target_level: Some(rng.range(level, 4) as f64),
                });
            }
        }
        let user_id = user.id.clone();
        db.users.insert(user);
        let audience = teams[team_idx].audience;
        db.audiences[audience].push_member(&user_id);
        if let Some(pid) = db.audiences[audience].parent_id.clone()
            && let Some(p) = db.find_audience(&pid)
        {
            db.audiences[p].push_member(&user_id);
        }
        if let Some(all) = all_staff {
            db.audiences[all].push_member(&user_id);
        }
        if let (Some(smart), UserStatus::New) = (new_starters, status) {
            db.audiences[smart].push_member(&user_id);
        }
    }
}

fn seed_managers(db: &mut Db) {
    let child_perms = Permissions {
        manage_members: true,
        manage_content: true,
        assignments: true,
        can_view_learn_page: true,
        insights: true,
        manage: true,
        ..Permissions::default()
    };
    let structure_perms = Permissions {
        can_manage_audiences: true,
        can_add_audience_managers: true,
        manage_content: true,
        assignments: true,
        insights: true,
        ..Permissions::default()
    };
    let learning_admins: Vec<String> = (4..=18)
        .filter_map(|i| db.users.by_ref(&format!("EMP-{i:05}")))
        .map(|i| db.users.list[i].id.clone())
        .collect();
    let mut admin_cursor = 0;
    for a in 0..db.audiences.len() {
        if !db.audiences[a].api_controlled {
            continue;
        }
        match db.audiences[a].category {
            Category::Structure => {
                for _ in 0..2 {
                    if let Some(id) =
                        learning_admins.get(admin_cursor % learning_admins.len().max(1))
                    {
                        db.audiences[a].managers.push(Manager {
                            user_id: id.clone(),
                            permissions: Permissions {
                                can_manage_audiences: admin_cursor % 2 == 0,
                                ..structure_perms
                            },
                        });
                    }
                    admin_cursor += 1;
                }
            }
            Category::Audience => {
                // The team lead is the first member added.
                if let Some(lead) = db.audiences[a].members.first().cloned() {
                    db.audiences[a].managers.push(Manager {
                        user_id: lead,
                        permissions: child_perms,
                    });
                }
            }
        }
    }
}

fn seed_content(db: &mut Db, rng: &mut Rng, now: Millis) {
    let authors: Vec<String> = db
        .users
        .list
        .iter()
        .take(18)
        .map(|u| u.id.clone())
        .collect();
    for ContentSpec {
        title,
        kind,
        tags,
        minutes,
        official,
    } in CONTENT
    {
        let created = some_time_before(rng, now, 200, 800);
        let updated = created + days(rng.range(0, 150));
        let author = if rng.chance(0.8) && !authors.is_empty() {
            Some(rng.pick(&authors).clone())
        } else {
            None
        };
        let mut history = vec![ContentHistory {
            action: "created",
            at: created,
            by_type: if author.is_some() { "user" } else { "system" },
            by_value: author.clone(),
        }];
        if updated > created {
            history.push(ContentHistory {
                action: "updated",
                at: updated,
                by_type: "user",
                by_value: Some(rng.pick(&authors).clone()),
            });
        }
        db.contents.push(Content {
            id: db.ids.next_id(),
            title: title.to_owned(),
            description: format!(
                "<p>{title}: a {kind} for every learner. Takes about {} minutes.</p>",
                minutes.unwrap_or(5)
            ),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            kind: kind.to_owned(),
            created_at: created,
            updated_at: updated,
            author,
            is_official: official,
            duration_minutes: minutes,
            history,
        });
    }
}

fn history(
    kind: &'static str,
    previous: EnrolmentStatus,
    next: EnrolmentStatus,
    at: Millis,
    completion: Option<String>,
) -> HistoryEntry {
    HistoryEntry {
        kind,
        completion_id: completion,
        previous,
        next,
        at,
    }
}

fn seed_assignments(db: &mut Db, rng: &mut Rng, now: Millis) {
    use EnrolmentStatus as S;
    for AssignmentSpec {
        content: content_idx,
        audience: audience_ref,
        period,
        recurrence,
        alternatives,
    } in ASSIGNMENTS
    {
        let Some(audience) = db.find_audience(audience_ref) else {
            continue;
        };
        let created = some_time_before(rng, now, 120, 300);
        let assignment_id = db.ids.next_id();
        let content_id = db.contents[content_idx].id.clone();
        let content_tags = db.contents[content_idx].tags.clone();
        let members = db.audiences[audience].members.clone();
        let mut enrolments = Vec::new();
        for (n, user_id) in members.iter().enumerate() {
            let roll = rng.below(100);
            let status = match n {
                0 => S::Complete,
                1 => S::Open,
                2 => S::Overdue,
                3 => S::Archived,
                4 if recurrence.is_some() => S::Scheduled,
                _ if roll < 48 => S::Complete,
                _ if roll < 68 => S::Open,
                _ if roll < 85 => S::Overdue,
                _ if roll < 93 && recurrence.is_some() => S::Scheduled,
                _ if roll < 93 => S::Complete,
                _ => S::Archived,
            };
            let id = db.ids.next_id();
            let mut e = Enrolment {
                id,
                user_id: user_id.clone(),
                status: S::Open,
                available_date: Some(created),
                due_date: Some(created + days(period)),
                last_completed_at: None,
                history: vec![history("created", S::Unassigned, S::Open, created, None)],
                updated_at: created,
            };
            match status {
                S::Complete | S::Scheduled => {
                    let done = created + rng.range(DAY_MS / 2, days(period).max(DAY_MS));
                    let completion_id = db.ids.next_id();
                    e.history.push(history(
                        "completed",
                        S::Open,
                        S::Complete,
                        done,
                        Some(completion_id.clone()),
                    ));
                    e.last_completed_at = Some(done);
                    e.updated_at = done;
                    db.completions.push(Completion {
                        id: completion_id,
                        statement_id: db.ids.uuid(),
                        user_id: user_id.clone(),
                        content_id: content_id.clone(),
                        content_version: 1,
                        skills: content_tags.clone(),
                        completion_type: "completed",
                        had_due_date: true,
                        is_rpl: false,
                        completed_at: done,
                        active_until: recurrence.map(|r| done + days(r)),
                    });
                    if status == S::Scheduled {
                        let next_open = done + days(recurrence.unwrap_or(365));
                        let at = done + days(1);
                        e.history
                            .push(history("scheduled", S::Complete, S::Scheduled, at, None));
                        e.available_date = Some(next_open);
                        e.due_date = Some(next_open + days(period));
                        e.updated_at = at;
                    }
                }
                S::Open => {
                    // Re-opened recently, so the due date lies ahead.
                    let opened = now - days(rng.range(0, period - 1));
                    e.available_date = Some(opened);
                    e.due_date = Some(opened + days(period));
                    e.history = vec![history("created", S::Unassigned, S::Open, opened, None)];
                    e.updated_at = opened;
                }
                S::Overdue => {
                    let due = created + days(period);
                    e.history
                        .push(history("overdue", S::Open, S::Overdue, due, None));
                    e.updated_at = due;
                }
                S::Archived => {
                    let at = created + days(rng.range(1, period));
                    e.history
                        .push(history("archived", S::Open, S::Archived, at, None));
                    e.updated_at = at;
                }
                S::Unassigned => {}
            }
            e.status = status;
            enrolments.push(e);
        }
        // Two former members whose enrolments were unassigned when they left.
        let leavers: Vec<String> = db
            .users
            .list
            .iter()
            .filter(|u| !db.audiences[audience].has_member(&u.id))
            .take(40)
            .map(|u| u.id.clone())
            .collect();
        for _ in 0..2 {
            if leavers.is_empty() {
                break;
            }
            let user_id = rng.pick(&leavers).clone();
            if enrolments.iter().any(|e| e.user_id == user_id) {
                continue;
            }
            let left = created + days(rng.range(1, period));
            enrolments.push(Enrolment {
                id: db.ids.next_id(),
                user_id,
                status: S::Unassigned,
                available_date: Some(created),
                due_date: Some(created + days(period)),
                last_completed_at: None,
                history: vec![
                    history("created", S::Unassigned, S::Open, created, None),
                    history("unassigned", S::Open, S::Unassigned, left, None),
                ],
                updated_at: left,
            });
        }
        let alternative_content_ids = alternatives
            .iter()
            .map(|&i| db.contents[i].id.clone())
            .collect();
        db.assignments.push(Assignment {
            id: assignment_id,
            audience_id: db.audiences[audience].id.clone(),
            primary_content_id: content_id,
            alternative_content_ids,
            hide_alternative_content: false,
            completion_period: period,
            recurrence,
            is_active: true,
            is_deleted: false,
            created_at: created,
            deleted_at: None,
            updated_at: created + days(rng.range(0, 10)),
            enrolments,
        });
    }
}

fn seed_extra_completions(db: &mut Db, rng: &mut Rng, now: Millis) {
    let learners: Vec<String> = db
        .users
        .list
        .iter()
        .filter(|u| u.first_login.is_some())
        .map(|u| u.id.clone())
        .collect();
    if learners.is_empty() || db.contents.is_empty() {
        return;
    }
    for _ in 0..150 {
        let user_id = rng.pick(&learners).clone();
        let content = &db.contents[rng.index(db.contents.len())];
        let content_id = content.id.clone();
        let skills = content.tags.clone();
        let is_rpl = rng.chance(0.1);
        let completed_at = some_time_before(rng, now, 1, 500);
        db.completions.push(Completion {
            id: db.ids.next_id(),
            statement_id: db.ids.uuid(),
            user_id,
            content_id,
            content_version: rng.range(1, 3),
            skills,
            completion_type: if is_rpl { "rpl" } else { "completed" },
            had_due_date: false,
            is_rpl,
            completed_at,
            active_until: None,
        });
    }
    db.completions.sort_by_key(|c| c.completed_at);
}

fn seed_activities(db: &mut Db, rng: &mut Rng, now: Millis) {
    let learners: Vec<String> = db
        .users
        .list
        .iter()
        .filter(|u| u.first_login.is_some())
        .map(|u| u.id.clone())
        .collect();
    if learners.is_empty() || db.contents.is_empty() {
        return;
    }
    let weighted: [(&'static str, u64); 10] = [
        ("viewed", 40),
        ("started", 10),
        ("progressed", 10),
        ("completed", 8),
        ("liked", 6),
        ("shared", 3),
        ("commented", 3),
        ("searched", 8),
        ("found", 4),
        ("loggedin", 8),
    ];
    let total: u64 = weighted.iter().map(|w| w.1).sum();
    let mut drafts: Vec<(Millis, String, &'static str, Option<usize>, Value)> = Vec::new();
    for _ in 0..600 {
        let mut roll = rng.below(total);
        let mut kind = "viewed";
        for (k, w) in weighted {
            if roll < w {
                kind = k;
                break;
            }
            roll -= w;
        }
        let user = rng.pick(&learners).clone();
        let date = some_time_before(rng, now, 0, 365);
        let (content, data) = match kind {
            "viewed" => (
                Some(rng.index(db.contents.len())),
                json!({
                    "source": { "source": *rng.pick(&["feed", "search", "assignment", "pathway"]) },
                    "duration": rng.range(30, 3600).to_string(),
                }),
            ),
            "progressed" => (
                Some(rng.index(db.contents.len())),
                json!({ "progresspercentage": rng.range(5, 95) }),
            ),
            "completed" => (
                Some(rng.index(db.contents.len())),
                json!({ "success": true, "score": rng.range(60, 100) }),
            ),
            "searched" | "found" => (
                None,
                json!({ "keyword": *rng.pick(&SEARCH_TERMS), "resultCount": rng.range(0, 40) }),
            ),
            "loggedin" => (None, json!({})),
            _ => (Some(rng.index(db.contents.len())), json!({})),
        };
        drafts.push((date, user, kind, content, data));
    }
    drafts.sort_by_key(|d| d.0);
    for (date, user, kind, content, data) in drafts {
        let (context_id, context_type, content_type, name) = match content {
            Some(i) => (
                db.contents[i].id.clone(),
                "content",
                Some(db.contents[i].kind.clone()),
                Some(db.contents[i].title.clone()),
            ),
            None if kind == "loggedin" => (user.clone(), "user", None, None),
            None => (db.ids.next_id(), "search", None, None),
        };
        db.activities.push(Activity {
            id: db.ids.next_id(),
            user,
            kind,
            name,
            date,
            context_id,
            context_type,
            content_type,
            data,
        });
    }
}

fn seed_cpd(db: &mut Db, rng: &mut Rng, now: Millis) {
    for name in CPD_CATEGORIES {
        db.cpd_categories.push(CpdCategory {
            id: db.ids.next_id(),
            name: name.to_owned(),
        });
    }
    let learners: Vec<String> = db
        .users
        .list
        .iter()
        .filter(|u| u.first_login.is_some())
        .take(160)
        .map(|u| u.id.clone())
        .collect();
    if !learners.is_empty() && !db.contents.is_empty() {
        let mut drafts = Vec::new();
        for _ in 0..360 {
            let user = rng.pick(&learners).clone();
            let category = rng.index(db.cpd_categories.len());
            let from_content = rng.chance(0.6);
            let (kind, name) = if from_content {
                let c = &db.contents[rng.index(db.contents.len())];
                (c.kind.clone(), c.title.clone())
            } else {
                let (k, n) = *rng.pick(&EXTERNAL_CPD);
                (k.to_owned(), n.to_owned())
            };
            let description = if rng.chance(0.4) {
                Some(format!(
                    "Reflection: applied what I learned from \"{name}\" in my role."
                ))
            } else {
                None
            };
            let date = some_time_before(rng, now, 0, 400);
            drafts.push((
                date,
                user,
                kind,
                name,
                category,
                rng.range(1, 16) * 15,
                description,
                from_content,
            ));
        }
        drafts.sort_by_key(|d| d.0);
        for (date, user, kind, name, category, minutes, description, verified) in drafts {
            db.cpd_entries.push(CpdEntry {
                id: db.ids.next_id(),
                user_id: user,
                activity_type: kind,
                activity_name: name,
                category_id: db.cpd_categories[category].id.clone(),
                entry_date: date,
                duration_minutes: minutes,
                description,
                is_verified: verified,
            });
        }
    }
    for reference in [
        "struct-sales",
        "struct-engineering",
        "struct-operations",
        "aud-customer-success",
        "aud-finance",
    ] {
        let Some(a) = db.find_audience(reference) else {
            continue;
        };
        let created = some_time_before(rng, now, 100, 500);
        let updated = if rng.chance(0.6) {
            Some(created + days(rng.range(1, 90)))
        } else {
            None
        };
        db.cpd_requirements.push(CpdRequirement {
            id: db.ids.next_id(),
            audience_id: db.audiences[a].id.clone(),
            required_minutes: rng.range(4, 30) * 60,
            created_at: created,
            updated_at: updated,
        });
    }
}
