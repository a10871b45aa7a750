//! Counting each client's open connections, for the per-client cap.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Who a connection belongs to: its IPv4 address, or the /64 network of
/// its IPv6 address (one host commonly holds a whole /64).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct ClientKey(IpAddr);

impl ClientKey {
    pub(super) fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let network = u128::from(v6) & !((1u128 << 64) - 1);
                    Self(IpAddr::V6(network.into()))
                }
            },
        }
    }
}

/// The open connections of every client with at least one.
pub(super) struct Clients {
    per_client: usize,
    open: Arc<Mutex<HashMap<ClientKey, usize>>>,
}

/// One connection of a client; dropping it gives the slot back.
pub(super) struct ClientSlot {
    key: ClientKey,
    open: Arc<Mutex<HashMap<ClientKey, usize>>>,
}

impl Clients {
    pub(super) fn new(per_client: usize) -> Self {
        Self {
            per_client,
            open: Arc::default(),
        }
    }

    /// A slot for a new connection from `ip`, or `Err` when that client
    /// already holds as many as it may.
    pub(super) fn admit(&self, ip: IpAddr) -> Result<ClientSlot, ()> {
        let key = ClientKey::of(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= self.per_client {
            return Err(());
        }
        *count += 1;
        Ok(ClientSlot {
            key,
            open: self.open.clone(),
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ClientKey, Clients};
    use std::net::IpAddr;

    #[test]
    fn a_client_gets_its_cap_and_its_slots_back() {
        let clients = Clients::new(2);
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.1".parse().unwrap();
        let first = clients.admit(a).expect("first");
        let _second = clients.admit(a).expect("second");
        assert!(clients.admit(a).is_err(), "a third is over the cap");
        assert!(clients.admit(b).is_ok(), "another client is admitted");
        drop(first);
        assert!(
            clients.admit(a).is_ok(),
            "a closed connection frees its slot"
        );
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_a_mapped_v4_is_its_v4() {
        let one: IpAddr = "2001:db8::1".parse().unwrap();
        let two: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        let other: IpAddr = "2001:db8:0:1::1".parse().unwrap();
        assert_eq!(ClientKey::of(one), ClientKey::of(two));
        assert_ne!(ClientKey::of(one), ClientKey::of(other));
        let mapped: IpAddr = "::ffff:127.0.0.2".parse().unwrap();
        assert_eq!(
            ClientKey::of(mapped),
            ClientKey::of("127.0.0.2".parse().unwrap())
        );
    }
}
