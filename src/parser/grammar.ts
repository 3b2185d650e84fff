// The grammar, and nothing else: a chevrotain CstParser whose rules only recognise the
// language and label the pieces. build-ast.ts turns the resulting CST into the AST.
//
//   probeBlock := Probe (',' Probe)* ('/' expression '/')? ( '{' stmtList '}' | '<' stmtList '>' )
//   stmtList   := ( ';' | ifStmt | block | simpleStmt )*
//   ifStmt     := 'if' '(' expression ')' block ( 'else' ( ifStmt | block ) )?
//   block      := '{' stmtList '}'
//   simpleStmt := expression ( assignOp expression | '++' | '--' )?
//   expression := binary ( '?' expression ':' expression )?
//   binary     := unary ( binaryOperator ( unary | setLiteral ) )*   (precedence: parser/precedence.ts)
//   setLiteral := '{' args? '}'                         (x in {1, 2, 3})
//   unary      := ('!' | '-' | '~') unary | cast | postfix
//   cast       := '(' ('struct' | 'union' | 'enum')? name '*'* ')' unary
//   postfix    := primary ( ('.' | '->') name | '[' expression (':' expression)? ']' )*
//   primary    := literal | name ('(' args? ')')? | $var | @map ('[' args ']')? | '(' expression ')'
//
// Two places accept more than the language so that one mistake does not derail the rest:
//   - stmtList does not demand ';' between simple statements; build-ast.ts reports a
//     missing one ("expected ';' or '}'") and parsing carries on with the next statement.
//   - any expression may stand left of '=' / '++'; build-ast.ts reports targets that are
//     neither a @map nor a $variable.
// The program itself (probeBlock*) is driven by parser/index.ts, one top-level block at a
// time, using the block boundaries the lexer found (see lexer/structure.ts).
import { CstParser, tokenMatcher, type CstNode, type ParserMethod } from 'chevrotain';
import * as T from '../lexer/tokens.js';
import { errorMessageProvider } from './messages.js';

type Rule = ParserMethod<[], CstNode>;

/** Scalar type names a parenthesised name is a cast to, as in `(u32)x`. */
const SCALAR_TYPES = new Set([
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
  'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64', 'bool',
]);

export class NettraceGrammar extends CstParser {
  /**
   * `validate`: chevrotain's checks of the grammar itself (ambiguities, left recursion,
   * unreachable alternatives), half the cost of building the parser. They say nothing
   * about the program being parsed, only about this file, so nettrace skips them and
   * test/unit/parser/grammar-valid.test.ts runs them.
   */
  constructor({ validate = false } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider,
      maxLookahead: 3,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  // ---- blocks and statements ----

  readonly probeBlock: Rule = this.RULE('probeBlock', () => {
    this.CONSUME(T.Probe, { LABEL: 'probes' });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Probe, { LABEL: 'probes' });
    });
    this.OPTION(() => {
      this.CONSUME(T.PredDelim, { LABEL: 'predicateOpen' });
      this.SUBRULE(this.expression, { LABEL: 'predicate' });
      this.CONSUME2(T.PredDelim, { LABEL: 'predicateClose' });
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LBrace, { LABEL: 'open' });
          this.SUBRULE(this.stmtList, { LABEL: 'body' });
          this.CONSUME(T.RBrace, { LABEL: 'close' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.AngleOpen, { LABEL: 'open' });
          this.SUBRULE2(this.stmtList, { LABEL: 'body' });
          this.CONSUME(T.AngleClose, { LABEL: 'close' });
        },
      },
    ]);
  });

  readonly stmtList: Rule = this.RULE('stmtList', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Semi) },
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE(this.block) },
        { ALT: () => this.SUBRULE(this.simpleStmt) },
      ]);
    });
  });

  readonly ifStmt: Rule = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'cond' });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR([
        { ALT: () => this.SUBRULE(this.ifStmt, { LABEL: 'elseIf' }) },
        { ALT: () => this.SUBRULE2(this.block, { LABEL: 'elseBlock' }) },
      ]);
    });
  });

  readonly block: Rule = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.stmtList, { LABEL: 'body' });
    this.CONSUME(T.RBrace);
  });

  readonly simpleStmt: Rule = this.RULE('simpleStmt', () => {
    this.SUBRULE(this.expression, { LABEL: 'target' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.AssignOp, { LABEL: 'assignOp' });
            this.SUBRULE2(this.expression, { LABEL: 'value' });
          },
        },
        { ALT: () => this.CONSUME(T.PlusPlus, { LABEL: 'step' }) },
        { ALT: () => this.CONSUME(T.MinusMinus, { LABEL: 'step' }) },
      ]);
    });
  });

  // ---- expressions ----

  readonly expression: Rule = this.RULE('expression', () => {
    this.SUBRULE(this.binary, { LABEL: 'cond' });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expression, { LABEL: 'then' });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: 'else' });
    });
  });

  /**
   * Operands joined by binary operators, flat: `a + b * c` is three operands and two
   * operators here, and build-ast.ts groups them by precedence (precedence.ts). One rule
   * instead of a ladder of ten keeps the parser fast and its recursion shallow.
   */
  readonly binary: Rule = this.RULE('binary', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(T.BinaryOp, { LABEL: 'operators' });
      this.OR([
        { ALT: () => this.SUBRULE2(this.unary, { LABEL: 'operands' }) },
        // Only `in` takes a set; the checker says so for any other operator.
        { ALT: () => this.SUBRULE(this.setLiteral, { LABEL: 'operands' }) },
      ]);
    });
  });

  /** `{10.0.0.1, 10.0.0.2}`, `{22, 80}`: the right of `x in {...}`. */
  readonly setLiteral: Rule = this.RULE('setLiteral', () => {
    this.CONSUME(T.LBrace);
    this.OPTION(() => this.SUBRULE(this.exprList, { LABEL: 'elements' }));
    this.CONSUME(T.RBrace);
  });

  readonly unary: Rule = this.RULE('unary', () => {
    this.OR({
      // A cast and a parenthesised expression both start with '('; the gate looks further
      // ahead (castAhead) and decides, so the overlap is intended.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Bang, { LABEL: 'operator' }) },
              { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operator' }) },
              { ALT: () => this.CONSUME(T.Tilde, { LABEL: 'operator' }) },
            ]);
            this.SUBRULE(this.unary, { LABEL: 'operand' });
          },
        },
        { GATE: () => this.castAhead(), ALT: () => this.SUBRULE(this.cast) },
        { ALT: () => this.SUBRULE(this.postfix) },
      ],
    });
  });

  readonly cast: Rule = this.RULE('cast', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Struct, { LABEL: 'typeKeyword' }) },
        { ALT: () => this.CONSUME(T.Union, { LABEL: 'typeKeyword' }) },
        { ALT: () => this.CONSUME(T.Enum, { LABEL: 'typeKeyword' }) },
      ]);
    });
    this.CONSUME(T.Ident, { LABEL: 'typeName' });
    this.MANY(() => this.CONSUME(T.Star, { LABEL: 'stars' }));
    this.CONSUME(T.RParen);
    this.SUBRULE(this.unary, { LABEL: 'operand' });
  });

  readonly postfix: Rule = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Dot, { LABEL: 'accessOps' }) },
              { ALT: () => this.CONSUME(T.Arrow, { LABEL: 'accessOps' }) },
            ]);
            this.CONSUME(T.AnyName, { LABEL: 'fieldNames' });
          },
        },
        { ALT: () => this.SUBRULE(this.indexSuffix, { LABEL: 'indexes' }) },
      ]);
    });
  });

  /** `[offset]` or `[offset:size]`: `ip[6:2]`, `tcp[13]`, `vlan[1]`. */
  readonly indexSuffix: Rule = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: 'offset' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: 'size' });
    });
    this.CONSUME(T.RBracket, { LABEL: 'close' });
  });

  readonly primary: Rule = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLit, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.StringLike, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Ipv4Lit, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Ipv6Lit, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.MacLit, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Var, { LABEL: 'variable' }) },
      {
        ALT: () => {
          this.CONSUME(T.Ident, { LABEL: 'name' });
          this.OPTION(() => {
            this.CONSUME(T.LParen, { LABEL: 'callOpen' });
            this.OPTION2(() => this.SUBRULE(this.exprList, { LABEL: 'args' }));
            this.CONSUME(T.RParen, { LABEL: 'callClose' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.MapName, { LABEL: 'map' });
          this.OPTION3(() => {
            this.CONSUME(T.LBracket);
            this.SUBRULE2(this.exprList, { LABEL: 'keys' });
            this.CONSUME(T.RBracket, { LABEL: 'keysClose' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME2(T.RParen);
        },
      },
    ]);
  });

  readonly exprList: Rule = this.RULE('exprList', () => {
    this.SUBRULE(this.expression, { LABEL: 'items' });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression, { LABEL: 'items' });
    });
  });

  /**
   * `(` starts a cast when what follows is `struct|union|enum ...`, a scalar type name
   * and `)`, or a name, one or more `*`, and `)`: `(u32)x`, `(struct sock *)p`, `(sk_buff *)p`.
   * `(pid)` and `(a * b)` stay parenthesised expressions.
   */
  private castAhead(): boolean {
    if (!tokenMatcher(this.LA(1), T.LParen)) return false;
    const second = this.LA(2);
    if (tokenMatcher(second, T.Struct) || tokenMatcher(second, T.Union) || tokenMatcher(second, T.Enum)) return true;
    if (!tokenMatcher(second, T.Ident)) return false;
    let i = 3;
    while (tokenMatcher(this.LA(i), T.Star)) i++;
    if (!tokenMatcher(this.LA(i), T.RParen)) return false;
    return i > 3 || SCALAR_TYPES.has(second.image);
  }
}

let instance: NettraceGrammar | undefined;

/** The grammar is analysed once (tens of milliseconds) and reused: chevrotain's advice. */
export function grammar(): NettraceGrammar {
  instance ??= new NettraceGrammar();
  return instance;
}

/**
 * Forget the instance: after a stack overflow inside a rule, chevrotain's internal stacks
 * may be left half-unwound, so the next parse starts from a new parser.
 */
export function discardGrammar(): void {
  instance = undefined;
}
