"""Users, roles, passwords, API keys and sign-in sessions: who is asking, and what they may do."""
