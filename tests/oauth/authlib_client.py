"""An independent OAuth 2.0 / OpenID Connect client (authlib) against Athlos.

It discovers the provider, runs the authorization code flow with PKCE through
the browser step (posting the login and consent forms as a browser would),
checks the ID token against the published keys, calls the API with the
access token, refreshes, and is refused after revoking.

Configured by the environment: ATHLOS_URL, CLIENT_ID, CLIENT_SECRET (empty for
a public client), REDIRECT_URI, EMAIL, PASSWORD. Exits non-zero on any failure.
"""

import os
import re
import secrets
import sys
from html import unescape
from urllib.parse import urljoin

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt


def hidden(html, name):
    match = re.search(r'<input type="hidden" name="%s" value="([^"]*)">' % name, html)
    assert match, "no hidden %s in:\n%s" % (name, html)
    return unescape(match.group(1))


def expect(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def main():
    base = os.environ["ATHLOS_URL"]
    client_id = os.environ["CLIENT_ID"]
    client_secret = os.environ.get("CLIENT_SECRET") or None
    redirect_uri = os.environ["REDIRECT_URI"]
    scope = "openid profile email workouts:read"

    meta = requests.get(base + "/.well-known/openid-configuration", timeout=10).json()
    expect(meta["issuer"] == base, "issuer is the server's URL: %r" % meta["issuer"])
    expect("S256" in meta["code_challenge_methods_supported"], "S256 PKCE is offered")

    auth = "client_secret_basic" if client_secret else "none"
    oauth = OAuth2Session(
        client_id, client_secret, scope=scope, redirect_uri=redirect_uri,
        code_challenge_method="S256", token_endpoint_auth_method=auth,
        revocation_endpoint_auth_method=auth,
    )
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    url, state = oauth.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)

    # The browser step.
    browser = requests.Session()
    page = browser.get(url, allow_redirects=False, timeout=10)
    expect(page.status_code == 200 and "Log in to Athlos" in page.text, "a login page: %s" % page.status_code)
    login = browser.post(urljoin(base, "/oauth/authorize/login"), allow_redirects=False, timeout=10, data={
        "query": hidden(page.text, "query"), "email": os.environ["EMAIL"], "password": os.environ["PASSWORD"],
    })
    expect(login.status_code == 303, "login redirects back to authorize: %s %s" % (login.status_code, login.text))
    consent = browser.get(urljoin(base, login.headers["location"]), allow_redirects=False, timeout=10)
    expect(consent.status_code == 200 and "Allow access?" in consent.text, "a consent page")
    approved = browser.post(urljoin(base, "/oauth/authorize/decision"), allow_redirects=False, timeout=10, data={
        "request": hidden(consent.text, "request"), "decision": "approve",
    })
    expect(approved.status_code == 303, "consent redirects to the app: %s" % approved.status_code)
    back = approved.headers["location"]
    expect(back.startswith(redirect_uri + "?"), "back at the redirect URI: %s" % back)

    token = oauth.fetch_token(meta["token_endpoint"], authorization_response=back, code_verifier=verifier)
    expect(token["token_type"].lower() == "bearer", "a bearer token")

    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token["id_token"], keys)
    claims.validate()
    expect(claims["iss"] == base and claims["aud"] == client_id, "the ID token is for this client from this issuer")
    expect(claims["nonce"] == nonce, "the ID token carries the nonce")
    expect(claims["email"] == os.environ["EMAIL"], "the ID token names the person")

    info = oauth.get(meta["userinfo_endpoint"], timeout=10)
    expect(info.status_code == 200 and info.json()["sub"] == claims["sub"], "userinfo answers: %s" % info.text)
    own = oauth.get(base + "/api/v1/account", timeout=10)
    expect(own.status_code == 403, "an app token cannot manage the account: %s" % own.status_code)

    refreshed = oauth.refresh_token(meta["token_endpoint"])
    expect(refreshed["access_token"] != token["access_token"], "refreshing gives a new access token")
    expect(oauth.get(meta["userinfo_endpoint"], timeout=10).status_code == 200, "the new token works")

    if client_secret:
        looked = requests.post(meta["introspection_endpoint"], auth=(client_id, client_secret), timeout=10,
                               data={"token": refreshed["access_token"]}).json()
        expect(looked["active"] is True and looked["client_id"] == client_id, "introspection: %s" % looked)

    revoked = oauth.revoke_token(meta["revocation_endpoint"], token=refreshed["refresh_token"],
                                 token_type_hint="refresh_token")
    expect(revoked.status_code == 200, "revocation answers 200")
    after = oauth.get(meta["userinfo_endpoint"], timeout=10)
    expect(after.status_code == 401, "refused after revocation: %s" % after.status_code)
    again = requests.post(meta["token_endpoint"], timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"], "client_id": client_id,
        **({"client_secret": client_secret} if client_secret else {}),
    })
    expect(again.status_code == 400 and again.json()["error"] == "invalid_grant", "a revoked refresh token is refused")

    if client_secret:
        looked = requests.post(meta["introspection_endpoint"], auth=(client_id, client_secret), timeout=10,
                               data={"token": refreshed["access_token"]}).json()
        expect(looked == {"active": False}, "introspection after revocation: %s" % looked)
    print("authlib client: ok")


if __name__ == "__main__":
    main()
