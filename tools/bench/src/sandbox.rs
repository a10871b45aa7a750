//! The sandbox under test runs in a child process (this binary started
//! with `--serve-sandbox`), so the client CPU the bench measures with
//! `getrusage` is the client's alone.

use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use thrive_sandbox::{Sandbox, SandboxConfig};

/// Where the child sandbox listens and how to call it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Basic username.
    pub tenant_id: String,
    /// Basic password.
    pub api_key: String,
    /// A user ref that exists, for the get-user-by-ref calls.
    pub user_ref: String,
    /// Users in the tenant.
    pub users: usize,
}

impl Endpoint {
    /// `Basic base64(tenant:key)`.
    pub fn basic(&self) -> String {
        use base64::Engine as _;
        let pair = format!("{}:{}", self.tenant_id, self.api_key);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    /// The URL every single-call path fetches.
    pub fn user_url(&self) -> String {
        format!("{}/rest/v1/users/ref/{}", self.base_url, self.user_ref)
    }
}

/// A sandbox in a child process; stopped when dropped.
pub struct ChildSandbox {
    child: Child,
    stdin: Option<ChildStdin>,
    /// How to reach it.
    pub endpoint: Endpoint,
}

impl ChildSandbox {
    /// Starts `thrive-bench --serve-sandbox --users N` and waits until it
    /// listens.
    pub fn start(extra_users: usize) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
        let mut child = Command::new(exe)
            .args(["--serve-sandbox", "--users", &extra_users.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start the sandbox child: {e}"))?;
        let stdin = child.stdin.take();
        let mut out = BufReader::new(child.stdout.take().ok_or("no sandbox stdout")?);
        let mut line = String::new();
        out.read_line(&mut line)
            .map_err(|e| format!("reading the sandbox's address: {e}"))?;
        let endpoint: Endpoint = serde_json::from_str(&line)
            .map_err(|e| format!("the sandbox child said {line:?}: {e}"))?;
        Ok(Self {
            child,
            stdin,
            endpoint,
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildSandbox {
    fn drop(&mut self) {
        // Closing stdin asks the child to stop; kill it if it does not.
        drop(self.stdin.take());
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child side: serve a sandbox with `extra_users` more users until
/// standard input closes.
pub fn serve(extra_users: usize) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let sandbox = Sandbox::start_on(SandboxConfig::default(), addr)
            .await
            .map_err(|e| format!("sandbox: {e}"))?;
        if extra_users > 0 {
            sandbox.state().insert_users(extra_users);
        }
        let users = sandbox.state().users();
        let user_ref = users
            .iter()
            .find_map(|u| u["ref"].as_str().map(str::to_owned))
            .ok_or("the sandbox has no user with a ref")?;
        let creds = sandbox.demo_credentials();
        let endpoint = Endpoint {
            base_url: sandbox.base_url(),
            tenant_id: creds.tenant_id,
            api_key: creds.api_key,
            user_ref,
            users: users.len(),
        };
        drop(users);
        println!(
            "{}",
            serde_json::to_string(&endpoint).map_err(|e| e.to_string())?
        );
        // Wait for the parent to close our stdin (or die).
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .map_err(|e| e.to_string())?;
        sandbox.shutdown().await;
        Ok(())
    })
}
