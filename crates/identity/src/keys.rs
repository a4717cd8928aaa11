//! The keys that sign access tokens (Ed25519, `EdDSA` in JWT terms), kept in
//! the database so every replica signs and verifies with the same set, and
//! published as a JWKS. Rotation adds a key that signs from then on; the old
//! one keeps verifying, so nobody is logged out.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use platform::db::{now_ms, Database};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{IdentityError, Result};
use crate::store;

struct SigningKey {
    id: String,
    public: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    retired: bool,
}

#[derive(Clone)]
pub struct SigningKeys {
    db: Database,
    seal: Arc<LessSafeKey>,
    keys: Arc<RwLock<Vec<Arc<SigningKey>>>>,
}

impl SigningKeys {
    /// Loads the keys, creating the first one on a new installation.
    pub async fn load(db: Database, secret: &str) -> Result<Self> {
        let seal_key = ring::digest::digest(&ring::digest::SHA256, format!("athlos signing keys\0{secret}").as_bytes());
        let seal = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, seal_key.as_ref()).expect("32-byte key"));
        let keys = Self { db, seal: Arc::new(seal), keys: Arc::default() };
        keys.reload().await?;
        if keys.signing().is_none() {
            keys.rotate().await?;
        }
        Ok(keys)
    }

    async fn reload(&self) -> Result<()> {
        let stored = {
            let mut conn = self.db.pool().acquire().await?;
            store::signing_keys(&mut conn).await?
        };
        let mut loaded = Vec::with_capacity(stored.len());
        for key in stored {
            let pkcs8 = self.open(&key.sealed_private_key).ok_or_else(|| {
                IdentityError::Internal(format!(
                    "signing key {} cannot be opened: ATHLOS_SECRET_KEY differs from the one it was made with",
                    key.id
                ))
            })?;
            let decoding =
                DecodingKey::from_ed_components(&key.public_key).map_err(|e| IdentityError::Internal(e.to_string()))?;
            loaded.push(Arc::new(SigningKey {
                id: key.id,
                public: key.public_key,
                encoding: EncodingKey::from_ed_der(&pkcs8),
                decoding,
                retired: key.retired,
            }));
        }
        *self.keys.write().expect("keys lock") = loaded;
        Ok(())
    }

    /// Makes a new key the one that signs; the others retire but still verify.
    pub async fn rotate(&self) -> Result<String> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map_err(|_| IdentityError::Internal("generating a key failed".into()))?;
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("a key ring just made");
        let id = uuid::Uuid::now_v7().simple().to_string();
        let key = store::StoredKey {
            id: id.clone(),
            public_key: URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()),
            sealed_private_key: self.seal(pkcs8.as_ref()),
            retired: false,
        };
        let mut tx = self.db.begin().await?;
        store::add_signing_key(&mut tx, &key, now_ms()).await?;
        tx.commit().await?;
        self.reload().await?;
        Ok(id)
    }

    fn signing(&self) -> Option<Arc<SigningKey>> {
        self.keys.read().expect("keys lock").iter().rev().find(|k| !k.retired).cloned()
    }

    fn find(&self, id: &str) -> Option<Arc<SigningKey>> {
        self.keys.read().expect("keys lock").iter().find(|k| k.id == id).cloned()
    }

    pub fn sign(&self, claims: &impl Serialize) -> Result<String> {
        let key = self.signing().ok_or_else(|| IdentityError::Internal("no signing key".into()))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.id.clone());
        jsonwebtoken::encode(&header, claims, &key.encoding).map_err(|e| IdentityError::Internal(e.to_string()))
    }

    /// Verifies signature, expiry, issuer and audience. A key made by another
    /// replica since the last look is fetched once.
    pub async fn verify<C: DeserializeOwned>(&self, token: &str, issuer: &str, audience: &str) -> Result<C> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| IdentityError::TokenInvalid)?;
        let kid = header.kid.ok_or(IdentityError::TokenInvalid)?;
        let key = match self.find(&kid) {
            Some(key) => key,
            None => {
                self.reload().await?;
                self.find(&kid).ok_or(IdentityError::TokenInvalid)?
            }
        };
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = crate::verified::LEEWAY_SECS as u64;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<C>(token, &key.decoding, &validation).map(|data| data.claims).map_err(|e| {
            match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => IdentityError::TokenExpired,
                _ => IdentityError::TokenInvalid,
            }
        })
    }

    /// The public keys as a JSON Web Key Set.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<_> = self
            .keys
            .read()
            .expect("keys lock")
            .iter()
            .map(|k| {
                serde_json::json!({ "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": k.id, "x": k.public })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }

    fn seal(&self, plain: &[u8]) -> String {
        let nonce = crate::secrets::random_bytes::<NONCE_LEN>();
        let mut data = plain.to_vec();
        self.seal
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .expect("sealing works");
        let mut out = nonce.to_vec();
        out.extend(data);
        STANDARD.encode(out)
    }

    fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let mut data = data.to_vec();
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let plain = self.seal.open_in_place(nonce, Aad::empty(), &mut data).ok()?;
        Some(plain.to_vec())
    }
}
