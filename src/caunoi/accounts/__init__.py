"""How a person signs in: one-time codes by SMS, passwords (officials), the sign-in lockout and the
limits on asking for codes (counted by `caunoi.core.ratelimit`), API tokens, the authentication
backend, the sign-in and sign-out pages (`/dang-nhap/…`, `/dang-xuat/`, URL names `accounts:…`)
and their rules (`accounts.policy`).

Who a person is stays in `caunoi.people`: `people.Person` is `AUTH_USER_MODEL`. Moving a swappable
user model to another app rewrites the migration dependency of every app that points at it and
breaks the migration history of every existing database (Django resolves `AUTH_USER_MODEL` to the
first migration of the app holding it; an existing database has recorded `people.0001` as the one
that created the user table). The models here point at it through `settings.AUTH_USER_MODEL`.

Layers: accounts imports core and people (Person, the phone form field); feature apps may import
accounts (feedback sends its codes here). people does not import accounts, except its migration 0006
(which depends on accounts.0001) and its API tests (which make a bearer token). `OneTimeCode` and
`ApiToken` moved here from people by state only (migrations `accounts.0001` and `people.0006`):
their tables keep their names (`people_onetimecode`, `people_apitoken`), so no data moved."""
