from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FewRoundsPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 with few rounds: the tests create and log in many users.

    The hashes keep the algorithm name and carry their round count, so a server started
    with the production settings (tests/lib/test_two_servers.py) still checks them.
    """

    iterations = 1_000
