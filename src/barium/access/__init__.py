"""Who may do what: roles, password hashes, and the secrets logins and tokens are made of.

Pure logic, no database: :mod:`barium.services.users` keeps users, tokens and
sessions, and :mod:`barium.web` declares which roles each route admits.
"""

from barium.access.passwords import MIN_PASSWORD_LENGTH, check_password_strength, hash_password, verify_password
from barium.access.roles import ROLE_HELP, Role, parse_roles
from barium.access.tokens import digest, new_secret

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "ROLE_HELP",
    "Role",
    "check_password_strength",
    "digest",
    "hash_password",
    "new_secret",
    "parse_roles",
    "verify_password",
]
