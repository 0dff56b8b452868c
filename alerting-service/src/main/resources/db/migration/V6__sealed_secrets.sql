-- Channel secrets are stored sealed (AES-GCM, see SecretBox): text, no longer a JSON document.
alter table channel alter column secrets type text using secrets::text;
