"""yusuan (预算): prepare, check, publish and audit Chinese department budget disclosures."""

__version__ = "0.1.0"
