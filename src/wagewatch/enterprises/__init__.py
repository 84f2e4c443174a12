"""wagewatch.enterprises: USCC checksum, company-name normalisation and entity resolution."""

from wagewatch.enterprises import uscc
from wagewatch.enterprises.matching import Candidate, EnterpriseId, Method, Resolution, Resolver
from wagewatch.enterprises.names import NameParts, name_key, normalise_name, split_name
from wagewatch.enterprises.uscc import UsccInfo, UsccParts

__all__ = [
    "Candidate",
    "EnterpriseId",
    "Method",
    "NameParts",
    "Resolution",
    "Resolver",
    "UsccInfo",
    "UsccParts",
    "name_key",
    "normalise_name",
    "split_name",
    "uscc",
]
