"""Rules of this family are being written; see issue 3."""
