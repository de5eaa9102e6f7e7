{#- Opportunity stages as Salesforce and HubSpot name them, mapped onto the
    six stages of the CRM contract (keys as category_key() makes them).
    Shared by opportunities and their stage history so that both read a
    stage the same way. -#}
{% macro opportunity_stage_aliases() -%}
    {{ return({
        'prospecting': ['prospect', 'appointmentscheduled',
                        'appointment_scheduled'],
        'qualification': ['qualified', 'qualifiedtobuy', 'qualified_to_buy',
                          'needs_analysis', 'id_decision_makers',
                          'perception_analysis'],
        'proposal': ['proposal_price_quote', 'value_proposition',
                     'presentationscheduled', 'presentation_scheduled'],
        'negotiation': ['negotiation_review', 'contractsent',
                        'contract_sent', 'decisionmakerboughtin',
                        'decision_maker_bought_in'],
        'closed_won': ['won', 'closedwon', 'closed_win'],
        'closed_lost': ['lost', 'closedlost'],
    }) }}
{%- endmacro %}
