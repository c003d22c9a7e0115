# Legend labels of the QGIS styles (`*.qml`), one per category: `qml-<layer>-<value>`,
# the value with `_` written `-`. The values themselves never change.
qml-catchments-awarded = Awarded
qml-catchments-gap = Gap (no center)
qml-catchments-existing = Existing center (re-plan)
qml-catchments-new = New catchment
qml-catchments-re-tender = To re-tender
qml-centers-awarded-site = Awarded site
qml-centers-ideal-center = Ideal center (gap, no site awarded)
qml-centers-existing = Existing center (kept by the re-plan)
qml-proposals-awarded = Awarded
qml-proposals-outside-plan-area = Outside the plan area
qml-proposals-below-min-efficiency = Below the minimum efficiency
qml-proposals-catchment-taken = Catchment went to another applicant
qml-proposals-same-catchment = Applicant already awarded this catchment
qml-proposals-not-needed = Applicant already has its maximum of centers
qml-proposals-not-chosen = Not chosen by the optimal award
qml-proposals-ineligible = Applicant ineligible
qml-proposals-served-already = Catchment served already by an open center
