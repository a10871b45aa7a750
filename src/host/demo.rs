//! `thrive-blocks demo`: an onboarding-to-compliance workflow run step by
//! step against the embedded sandbox, as a workflow engine would run it.

use crate::api::{Context, Origin};
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
use crate::params::Connection;
use serde_json::{Value, json};
use std::io::Write;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use thrive_sandbox::{Sandbox, SandboxConfig};

/// One step's summary, from its output.
type Summary = fn(&Value) -> String;

struct Demo {
    catalogue: &'static Catalogue,
    ctx: Context,
    connection: Connection,
    step: usize,
    total: usize,
}

impl Demo {
    /// Runs one tool, printing its id, inputs and a readable summary.
    async fn step(
        &mut self,
        id: &str,
        params: Value,
        why: &str,
        summary: Summary,
    ) -> Result<Value, Error> {
        self.step += 1;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "\n[{}/{}] {why}", self.step, self.total);
        let _ = writeln!(out, "  tool:   {id}");
        let _ = writeln!(out, "  inputs: {params}");
        drop(out);
        let mut input = params;
        if let Value::Object(own) = &mut input {
            self.connection.fill(own);
        }
        let output = self.catalogue.execute(id, input, &self.ctx).await;
        let mut out = std::io::stdout().lock();
        match &output {
            Ok(v) => {
                let _ = writeln!(out, "  result: {}", summary(v));
            }
            Err(e) => {
                let _ = writeln!(out, "  failed: {e}");
            }
        }
        output
    }
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("?")
}

fn count(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// Runs the demo workflow against a fresh sandbox seeded with `seed`.
pub async fn run(seed: u64) -> Result<ExitCode, Error> {
    let config = SandboxConfig {
        seed,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.map_err(|e| {
        Error::new(
            ErrorCode::Transport,
            format!("could not start the sandbox: {e}"),
        )
    })?;
    let base = sandbox.base_url();
    let ctx = Context::builder()
        .allow_origin(Origin::parse(&base)?)
        .build();
    let cfg = sandbox.config();
    println!(
        "Thrive sandbox running at {base} (tenant {}, demo data seed {seed})",
        cfg.tenant_id
    );
    println!(
        "Every step below is one tool block run through the catalogue, exactly as a workflow engine runs it."
    );
    let mut demo = Demo {
        catalogue: Catalogue::global(),
        ctx,
        connection: Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone())
            .with_host(base.clone()),
        step: 0,
        total: 16 + usize::from(cfg!(feature = "server")),
    };
    // Thrive's completion webhooks, sent by the sandbox to a receiver on
    // loopback, so the demo can show a trigger firing.
    #[cfg(feature = "server")]
    let mut receiver =
        crate::host::events::demo_trigger::DemoReceiver::start(&sandbox, &cfg.tenant_id).await?;
    let now = iso8601(SystemTime::now());

    demo.step(
        "thrive_test_connection",
        json!({}),
        "Check the credentials from the connection form",
        |o| {
            format!(
                "ok={} via {} ({}), {} ms",
                o["ok"],
                text(&o["authMethod"]),
                text(&o["region"]),
                o["roundTripMs"]
            )
        },
    )
    .await?;

    let structure = demo
        .step(
            "thrive_create_audience",
            json!({"name": "Operations", "reference": "demo-ops", "category": "structure"}),
            "Create a structure for the department",
            |o| {
                format!(
                    "structure {} ({})",
                    text(&o["audience"]["name"]),
                    text(&o["audience"]["id"])
                )
            },
        )
        .await?;
    let audience = demo
        .step(
            "thrive_create_audience",
            json!({"name": "Operations - New Starters", "reference": "demo-ops-starters",
                   "parentId": structure["audience"]["id"], "category": "audience"}),
            "Create a child audience for this month's new starters",
            |o| {
                format!(
                    "audience {} under {}",
                    text(&o["audience"]["name"]),
                    text(&o["audience"]["parent"]["name"])
                )
            },
        )
        .await?;
    let audience_id = audience["audience"]["id"].clone();

    let people = [
        (
            "DEMO-1001",
            "Priya",
            "Shah",
            "priya.shah@example.com",
            "Operations Analyst",
        ),
        (
            "DEMO-1002",
            "Tom",
            "Baker",
            "tom.baker@example.com",
            "Warehouse Lead",
        ),
        (
            "DEMO-1000",
            "Grace",
            "Hopper",
            "grace.hopper@example.com",
            "Operations Manager",
        ),
    ];
    let mut ids = Vec::new();
    for (r, first, last, email, title) in people {
        let user = demo
            .step(
                "thrive_create_user",
                json!({"ref": r, "firstName": first, "lastName": last, "email": email, "jobTitle": title,
                       "role": "learner", "startDate": now, "additionalFields": "{\"department\":\"Operations\"}"}),
                "Onboard a new starter from the HR system",
                |o| format!("user {} {} ({}), active={}", text(&o["user"]["firstName"]), text(&o["user"]["lastName"]), text(&o["user"]["id"]), o["user"]["active"]),
            )
            .await?;
        ids.push(user["user"]["id"].clone());
    }

    demo.step(
        "thrive_add_audience_members",
        json!({"audienceId": audience_id,
               "users": "[\"priya.shah@example.com\", \"DEMO-1002\", \"no.such.person@example.com\"]"}),
        "Add the new starters to the audience (one address is deliberately unknown)",
        |o| {
            let failed: Vec<String> = o["result"]["failure"]["entities"]
                .as_array()
                .map(|f| f.iter().map(|e| format!("{} ({})", text(&e["reference"]), text(&e["reason"]))).collect())
                .unwrap_or_default();
            format!(
                "partial={}: {} added, not added: {}",
                o["partial"],
                count(&o["result"]["success"]["entities"]),
                if failed.is_empty() { "none".to_owned() } else { failed.join(", ") }
            )
        },
    )
    .await?;

    demo.step(
        "thrive_add_audience_managers",
        json!({"audienceId": audience_id, "managers": [{"reference": "DEMO-1000", "permissions": {
            "audienceManager": {"manageContent": true, "assignments": true},
            "peopleManager": {"canViewLearnPage": true, "insights": true, "manage": false}}}]}),
        "Make the line manager an audience manager",
        |o| {
            format!(
                "{} manager(s) added, partial={}",
                count(&o["result"]["success"]["entities"]),
                o["partial"]
            )
        },
    )
    .await?;

    let content = demo
        .step(
            "thrive_query_content",
            json!({"types": "elearning,scorm,video", "perPage": 3}),
            "Find compliance content to assign",
            |o| {
                let first = &o["results"][0];
                format!(
                    "{} match(es); first: {} ({})",
                    o["pagination"]["totalResults"],
                    text(&first["title"]),
                    text(&first["type"])
                )
            },
        )
        .await?;
    let content_id = content["results"][0]["id"].clone();

    let assignment = demo
        .step(
            "thrive_create_assignment",
            json!({"audienceId": audience_id, "contentId": content_id, "completionPeriod": 30}),
            "Assign the content to the new starters, due in 30 days",
            |o| {
                format!(
                    "assignment {} ({} days to complete)",
                    text(&o["assignment"]["id"]),
                    o["assignment"]["completionPeriod"]
                )
            },
        )
        .await?;
    let assignment_id = assignment["assignment"]["id"].clone();

    demo.step(
        "thrive_list_enrolments",
        json!({"assignmentId": assignment_id}),
        "List the enrolments the assignment created",
        |o| {
            let statuses: Vec<&str> = o["enrolments"]
                .as_array()
                .map(|e| e.iter().map(|x| text(&x["status"])).collect())
                .unwrap_or_default();
            format!("{} enrolment(s): {}", statuses.len(), statuses.join(", "))
        },
    )
    .await?;

    demo.step(
        "thrive_create_completion",
        json!({"userId": ids[0], "contentId": content_id, "completedAt": now}),
        "Record Priya's completion from the external course player",
        |o| format!("statement {}", text(&o["statementId"])),
    )
    .await?;

    #[cfg(feature = "server")]
    {
        demo.step += 1;
        println!(
            "\n[{}/{}] Trigger: Thrive tells waiting workflows about the completion",
            demo.step, demo.total
        );
        println!(
            "  trigger: thrive_on_content_completed (completion_subscription webhook, HMAC-signed)"
        );
        let event = receiver
            .next_event(std::time::Duration::from_secs(10))
            .await?;
        let payload = event.payload();
        println!(
            "  event:   #{} {} -> {}: {} completed {:?}",
            event.cursor(),
            event.event.event_type,
            event.event.trigger,
            text(&payload["user"]["email"]),
            text(&payload["content"]["title"]),
        );
    }

    demo.step(
        "thrive_list_enrolments",
        json!({"assignmentId": assignment_id, "status": "complete"}),
        "Check who is now complete",
        |o| format!("{} complete enrolment(s)", count(&o["enrolments"])),
    )
    .await?;

    demo.step(
        "thrive_list_completions",
        json!({"userId": ids[0]}),
        "Read Priya's completion records",
        |o| format!("{} completion record(s)", count(&o["completions"])),
    )
    .await?;

    demo.step(
        "thrive_query_cpd_user_summaries",
        json!({"entryDateFrom": "2024-01-01T00:00:00", "entryDateTo": &now[..19], "perPage": 5}),
        "Report CPD minutes logged since the start of 2024",
        |o| {
            let minutes: u64 = o["results"]
                .as_array()
                .map(|r| r.iter().filter_map(|x| x["durationMinutes"].as_u64()).sum())
                .unwrap_or(0);
            format!(
                "{} user(s) with CPD; {} minutes on this page",
                o["pagination"]["totalResults"], minutes
            )
        },
    )
    .await?;

    demo.step(
        "thrive_suspend_user",
        json!({"ref": "DEMO-1002", "endDate": now}),
        "Tom is leaving: suspend his account",
        |o| {
            format!(
                "{} active={}, endDate {}",
                text(&o["user"]["ref"]),
                o["user"]["active"],
                text(&o["user"]["endDate"])
            )
        },
    )
    .await?;

    println!(
        "\nDone: {} steps against the sandbox. Next: `thrive-blocks list`, `thrive-blocks describe <id>`, \
         and `thrive-blocks sandbox --state demo.json` for a sandbox that keeps state between runs \
         (the README walks through a multi-step task).",
        demo.step
    );
    #[cfg(feature = "server")]
    receiver.close();
    sandbox.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// `2026-11-25T09:30:00.000Z` for a system time (UTC), to the second.
fn iso8601(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    crate::clock::format_ms(i64::try_from(secs).unwrap_or(i64::MAX / 1000) * 1000)
}

#[cfg(test)]
mod tests {
    use super::iso8601;
    use std::time::Duration;
    use std::time::UNIX_EPOCH;

    #[test]
    fn iso8601_formats_utc() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso8601(UNIX_EPOCH + Duration::from_secs(1_709_251_199)),
            "2024-02-29T23:59:59.000Z"
        );
    }
}
