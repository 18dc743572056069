// Doudi: one grammar, two keyword dialects.
// Every keyword token accepts its Chinese and its English spelling; the token
// pass in compiler/parse turns the spelling of the dialect a file did NOT
// declare back into an identifier, so `and` is a name in a Chinese file and
// `且` a name in an English one. Keep the spellings in sync with
// compiler/ast/keywords.def (a unit test checks).
grammar Doudi;

file : header item* EOF ;

// The parser driver splits a file into its header and items and parses each
// alone, so a syntax error in one item never cascades into the next.
singleHeader : header EOF ;
singleItem : item EOF ;

header : KW_LANGUAGE IDENT ;

item
  : moduleDecl | importDecl | enumDecl | structDecl | inputDecl | paramDecl
  | jurisdictionDecl | constraintDecl | definitionDecl | ruleDecl | flagDecl
  | testDecl
  ;

moduleDecl : KW_MODULE qualifiedName ;
importDecl : KW_IMPORT qualifiedName ;
qualifiedName : IDENT (DOT IDENT)* ;

enumDecl : KW_ENUM IDENT annotations LBRACE enumValue (sep enumValue)* sep? RBRACE ;
enumValue : IDENT annotations ;

structDecl : KW_STRUCT IDENT annotations LBRACE (fieldDecl sep?)* RBRACE ;
fieldDecl : IDENT COLON typeRef KW_SENSITIVE? KW_SIGNED? (EQ expr)? annotations ;

inputDecl : KW_INPUT IDENT COLON typeRef annotations ;

paramDecl : KW_PARAM IDENT COLON typeRef (EQ expr validity)? annotations ;
validity : (KW_FROM DATE)? (KW_UNTIL DATE)? ;

jurisdictionDecl
  : KW_JURIS IDENT (KW_PARENT IDENT)? KW_TEST_ONLY? annotations LBRACE (jurisdictionItem sep?)* RBRACE ;
// `仅供测试` (test_only) marks a jurisdiction made up for tests: static checks
// leave it alone, since tests give it values that break rules on purpose.
jurisdictionItem : paramValue | localException ;
paramValue : IDENT EQ expr validity annotations ;
// An exception a jurisdiction adds to a rule or a definition, usually of the
// policy it deploys: `例外 计入收入(m) 标签 当 … 则 …`. It applies in this
// jurisdiction and those below it; the names in parentheses stand for the
// target's parameters.
localException
  : KW_EXCEPTION IDENT (LPAREN IDENT (COMMA IDENT)* RPAREN)? IDENT (KW_OVERRIDES IDENT (COMMA IDENT)*)?
      KW_WHEN expr KW_THEN expr annotations ;

// A constraint binds its jurisdiction and everything below it (all
// jurisdictions without `辖区`), on the dates of its validity.
constraintDecl : KW_CONSTRAINT STRING? (KW_JURIS IDENT)? expr validity annotations ;

definitionDecl : KW_DEF IDENT params? COLON typeRef EQ expr annotations ;
params : LPAREN param (COMMA param)* RPAREN ;
param : typeRef IDENT ;

ruleDecl : KW_RULE IDENT params? COLON typeRef annotations ruleBranch+ ;
ruleBranch
  : KW_DEFAULT EQ expr annotations                                  # defaultBranch
  | KW_EXCEPTION IDENT (KW_OVERRIDES IDENT (COMMA IDENT)*)?
      KW_WHEN expr KW_THEN expr annotations                         # exceptionBranch
  ;

flagDecl : KW_FLAG IDENT KW_WHEN expr STRING annotations ;

testDecl : KW_TEST STRING KW_JURIS IDENT KW_MONTH YEARMONTH LBRACE (testStmt sep?)* RBRACE ;
testStmt
  : KW_PARAM IDENT EQ expr             # testParam
  | IDENT EQ expr                      # testInput
  | KW_EXPECT IDENT EQ expr            # testExpect
  | KW_EXPECT KW_NOT? KW_FLAG IDENT    # testExpectFlag
  | KW_EXPECT KW_NOT? KW_CONSTRAINT STRING  # testExpectConstraint
  ;

annotations : annotation* ;
annotation : CITATION | KW_INTERP STRING | KW_PROVISION STRING ;

sep : COMMA | SEMI ;

typeRef : baseType QUESTION? ;
baseType
  : KW_LIST LT typeRef GT              # listType
  | (YUAN | YUAN_M | YUAN_Y)           # moneyType
  | U_MONTHS                           # monthsType
  | U_DAYS                             # daysType
  | IDENT                              # namedType
  ;

// One left-recursive rule; earlier alternatives bind tighter.
expr
  : primary                                                       # primaryExpr
  | expr DOT IDENT                                                # fieldExpr
  | IDENT KW_ASOF expr                                            # asOfExpr
  | MINUS expr                                                    # negExpr
  | expr op=(TIMES | DIVIDE) expr                                 # mulExpr
  | expr op=(PLUS | MINUS) expr                                   # addExpr
  | expr QQ expr                                                  # orElseExpr
  | expr op=(LT | LE | GT | GE | EQ | NE) expr                    # cmpExpr
  | expr (KW_IN | KW_NOTIN | KW_NOT KW_IN) expr                   # inExpr
  | KW_NOT expr                                                   # notExpr
  | expr KW_AND expr                                              # andExpr
  | expr KW_OR expr                                               # orExpr
  | KW_IF expr KW_THEN expr KW_ELSE expr                          # ifExpr
  | kind=(KW_SUM | KW_EXISTS | KW_ALL | KW_MAX | KW_MIN)
      IDENT KW_IN expr (KW_WHEN expr)? COLON expr                 # aggregateExpr
  | KW_COUNT IDENT KW_IN expr (KW_WHEN expr)?                     # countWhereExpr
  ;

primary
  : NUMBER unit?                                                  # numberLit
  | PERCENT                                                       # percentLit
  | DATE                                                          # dateLit
  | YEARMONTH                                                     # yearMonthLit
  | STRING                                                        # stringLit
  | (KW_TRUE | KW_FALSE)                                          # boolLit
  | KW_COUNT LPAREN expr RPAREN                                   # countExpr
  | KW_LASTYEAR IDENT                                             # lastYearExpr
  | IDENT LPAREN (expr (COMMA expr)*)? RPAREN                     # callExpr
  | IDENT                                                         # nameExpr
  | LPAREN expr RPAREN                                            # parenExpr
  | LBRACE RBRACE                                                 # emptyBraces
  | LBRACE IDENT COLON expr (sep IDENT COLON expr)* sep? RBRACE   # recordLit
  | LBRACE expr (COMMA expr)* COMMA? RBRACE                       # setLit
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                    # listLit
  ;

unit : YUAN | YUAN_M | YUAN_Y | U_MONTHS | U_DAYS ;

// ---- lexer ---------------------------------------------------------------

KW_LANGUAGE   : '语言' | 'language' ;
KW_MODULE     : '模块' | 'module' ;
KW_IMPORT     : '引用' | 'import' ;
KW_ENUM       : '枚举' | 'enum' ;
KW_STRUCT     : '结构' | 'struct' ;
KW_INPUT      : '输入' | 'input' ;
KW_PARAM      : '参数' | 'parameter' ;
KW_JURIS      : '辖区' | 'jurisdiction' ;
KW_PARENT     : '上级' | 'parent' ;
KW_TEST_ONLY  : '仅供测试' | 'test_only' ;
KW_FROM       : '自' | 'from' ;
KW_UNTIL      : '至' | 'until' ;
KW_CONSTRAINT : '约束' | 'constraint' ;
KW_DEF        : '定义' | 'define' ;
KW_RULE       : '规则' | 'rule' ;
KW_DEFAULT    : '默认' | 'default' ;
KW_EXCEPTION  : '例外' | 'exception' ;
KW_WHEN       : '当' | 'when' ;
KW_THEN       : '则' | 'then' ;
KW_OVERRIDES  : '优先于' | 'overrides' ;
KW_FLAG       : '标记' | 'flag' ;
KW_TEST       : '测试' | 'test' ;
KW_MONTH      : '月份' | 'month' ;
KW_EXPECT     : '期望' | 'expect' ;
KW_INTERP     : '解释' | 'note' ;
KW_SENSITIVE  : '敏感' | 'sensitive' ;
KW_SIGNED     : '可为负' | 'signed' ;
KW_PROVISION  : '编号' | 'provision' ;
KW_TRUE       : '真' | 'true' ;
KW_FALSE      : '假' | 'false' ;
KW_AND        : '且' | 'and' ;
KW_OR         : '或' | 'or' ;
KW_NOT        : '非' | 'not' ;
KW_IN         : '属于' | 'in' | '∈' ;
KW_NOTIN      : '不属于' | '∉' ;
KW_SUM        : '合计' | 'sum' ;
KW_EXISTS     : '存在' | 'any' ;
KW_ALL        : '所有' | 'all' ;
KW_COUNT      : '人数' | 'count' ;
KW_MAX        : '最大' | 'max' ;
KW_MIN        : '最小' | 'min' ;
KW_IF         : '若' | 'if' ;
KW_ELSE       : '否则' | 'else' ;
KW_LIST       : '列表' | 'list' ;
KW_LASTYEAR   : '上年度' | 'last_year' ;
KW_ASOF       : '于' | 'as_of' ;

// Documents write a standard per person as 元/人·月 or 元/人·年 (also
// 元/人月, 元/人/月); a standard
// is per person by its definition, so these read as 元/月 and 元/年 (fmt
// writes those).
YUAN_M   : '元/月' | '元／月' | 'yuan/month' | YUAN_PER_PERSON '月' ;
YUAN_Y   : '元/年' | '元／年' | 'yuan/year' | YUAN_PER_PERSON '年' ;
YUAN     : '元' | 'yuan' ;
U_MONTHS : '个月' | '月' | 'months' ;
U_DAYS   : '日' | '天' | 'days' ;

// Dates as officers write them too: 2022年6月1日, ２０２２－０６－０１. The
// token pass accepts these spellings in Chinese files only; the AST builder
// turns every date and number into its ASCII canonical text.
DATE      : YEAR DASH DIGIT DIGIT DASH DIGIT DIGIT
          | YEAR '年' DIGIT DIGIT? '月' DIGIT DIGIT? '日' ;
YEARMONTH : YEAR DASH DIGIT DIGIT
          | YEAR '年' DIGIT DIGIT? '月' ;
// Almost a date (2022-6-1, 22年6月1日, 2022年6月1号, 2022年6月1, ２０２２／６／１,
// 2022.06.01): one token,
// so the token pass reports it once with the form to write, instead of one
// error per character or a silent subtraction. A tie with DATE or YEARMONTH
// goes to them, as they come first.
BAD_DATE  : YEAR DASH DIGIT+ DASH DIGIT+
          | DIGIT DIGIT+ '年' DIGIT+ '月' (DIGIT+ ('日' | '号')?)?
          | YEAR '／' DIGIT+ ('／' DIGIT+)?
          | YEAR POINT DIGIT+ POINT DIGIT+ ;
PERCENT   : DIGIT+ (POINT DIGIT+)? ('%' | '％') ;
NUMBER    : DIGIT+ (POINT DIGIT+)? ;
STRING    : '"' (~["\\\r\n] | '\\' .)* '"' | '“' ~[”\r\n]* '”' ;
CITATION  : '【' ~[】\r\n]* '】' ;

LPAREN   : '(' | '（' ;
RPAREN   : ')' | '）' ;
LBRACE   : '{' | '｛' ;
RBRACE   : '}' | '｝' ;
LBRACK   : '[' | '［' ;
RBRACK   : ']' | '］' ;
COLON    : ':' | '：' ;
COMMA    : ',' | '，' | '、' ;
SEMI     : ';' | '；' ;
DOT      : '.' ;
QQ       : '??' ;
QUESTION : '?' | '？' ;
PLUS     : '+' | '＋' ;
MINUS    : '-' | '−' | '－' ;
TIMES    : '×' | '*' ;
DIVIDE   : '÷' | '/' ;
LE       : '≤' | '<=' ;
GE       : '≥' | '>=' ;
NE       : '≠' | '!=' ;
LT       : '<' | '＜' ;
GT       : '>' | '＞' ;
EQ       : '==' | '=' | '＝' ;

IDENT : [\p{L}_] [\p{L}\p{N}_]* ;

COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n\u3000\u00A0]+ -> skip ;

// Anything else becomes a token the token pass reports with its position,
// instead of an ANTLR lexer error.
STRAY : . ;

fragment DIGIT : [0-9０-９] ;
fragment YEAR  : DIGIT DIGIT DIGIT DIGIT ;
fragment DASH  : '-' | '－' ;
fragment YUAN_PER_PERSON : '元' ('/' | '／') '人' ('·' | '・' | '/' | '／')? ;
fragment POINT : '.' | '．' ;
