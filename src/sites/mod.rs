//! Applicants' proposed sites: each proposal located in a catchment and scored by the
//! access it gives ([`score`]), then centers awarded under the organisation's rules
//! ([`award`]).

pub mod award;
pub mod score;
