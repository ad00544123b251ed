// After django-otp-webauthn registers a passkey, open the page the server names (recovery codes
// for a first factor). A file, not an inline script: the CSP allows scripts from this site only.
document.addEventListener("otp_webauthn.register_complete", () => {
  const next = document.getElementById("passkey-registered-next");
  if (next) window.location.assign(next.dataset.url);
});
