"""Placeholder replaced below."""
def candidate_query(claim_text): raise NotImplementedError
def check_claim(claim_text, items, *, today=None): raise NotImplementedError
def stance_to_dict(r): raise NotImplementedError
